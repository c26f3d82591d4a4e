# Writes the replay fixtures of the Network pack (fixtures/GBNETxxx/{positive,negative}-*.json):
# minimal snapshots, defaults left out. Edit here and rerun: python3 make-fixtures.py
import json, copy, os
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
KEY = "GoBuildRules.Rules.Network"

def goenv(**kw):
    e = {"GOPROXY": "https://proxy.golang.org,direct", "GOSUMDB": "sum.golang.org", "GOPRIVATE": "", "GONOPROXY": "", "GONOSUMDB": "",
         "GOINSECURE": "", "GOVCS": "", "GOFLAGS": "", "GOENV": "/home/dev/.config/go/env", "GOVERSION": "go1.22.3"}
    e.update(kw); return e

def base(version="1.22.3", env=None, environment=None, requires=None, go="1.22", toolchain=None, facts=None, git="found"):
    mod = {"file": "go.mod", "module": "example.com/app", "moduleLine": 1, "go": go, "goLine": 3,
           "requires": requires if requires is not None else [{"path": "github.com/pkg/errors", "version": "v0.9.1", "line": 6}]}
    if toolchain: mod.update({"toolchain": toolchain, "toolchainLine": 4})
    s = {"schemaVersion": 1, "toolVersion": "0.1.0", "collectedAt": "2026-11-26T12:00:00+00:00",
         "host": {"os": "linux", "arch": "amd64"},
         "go": {"status": "found", "path": "/usr/local/go/bin/go", "version": version, "versionOutput": f"go version go{version} linux/amd64", "env": env or goenv()},
         "environment": environment or {"HOME": "/home/dev", "PATH": "/usr/local/go/bin:/usr/bin:/bin"},
         "tools": [{"name": "go", "status": "found", "path": "/usr/local/go/bin/go"}, {"name": "git", "status": git, **({"path": "/usr/bin/git"} if git == "found" else {})}],
         "workspace": {"root": "/src/app", "goMod": mod}}
    if facts is not None: s["extensions"] = {KEY: facts}
    return s

def facts(endpoints=(), **kw):
    f = {"probesSkipped": False, "budgetSeconds": 2, "endpoints": list(endpoints), "fileProxies": [], "git": {"configRead": True}, "goEnvFile": []}
    f.update(kw); return f

def dns(name, v4=("142.250.1.1",), v6=(), err=None):
    d = {"name": name, "ipv4": list(v4), "ipv6": list(v6), "ipv4Ms": 12, "ipv6Ms": 11}
    if err: d.update({"ipv4": [], "ipv6": [], "ipv4Error": err, "ipv6Error": err})
    return d

def ep(role="proxy", index=0, url="https://proxy.golang.org", path="/github.com/pkg/errors/@v/list", status=200, hop="none", failure=None,
       tcp=None, tls=True, http=None, d=None, via=None, **kw):
    host = url.split("://")[1].split("/")[0].split(":")[0]
    port = 443 if url.startswith("https") else 80
    e = {"role": role, "proxyIndex": index, "url": url, "requestPath": path, "host": host, "port": port,
         "dns": d or dns(host), "tcp": tcp if tcp is not None else [{"family": "ipv4", "address": "142.250.1.1", "outcome": "connected", "ms": 20}],
         "failedHop": hop, "totalMs": 120}
    if via: e.update({"via": via, "viaVariable": "HTTPS_PROXY"})
    if tls is True and url.startswith("https") and hop not in ("dns", "tcp", "proxyConnect"):
        e["tls"] = {"ok": True, "ms": 40, "protocol": "Tls13", "subject": f"CN={host}", "issuer": "CN=WR2, O=Google Trust Services, C=US", "chain": []}
    elif isinstance(tls, dict):
        e["tls"] = tls
    if http is not None: e["http"] = http
    elif hop == "none": e["http"] = {"status": status, "waitedMs": 60, "ttfbMs": 60, "reason": "OK" if status == 200 else "Error"}
    if failure: e["failure"] = failure
    if hop in ("dns",): e["tcp"] = []
    e.update(kw)
    return e

STALL_HTTP = {"status": None, "waitedMs": 1950, "timedOut": True}
def stalled(**kw):
    h = dict(STALL_HTTP); h.pop("status")
    return ep(hop="http", http=h, failure="TCP and TLS connected, but no HTTP response to GET /github.com/pkg/errors/@v/list within 1.95 s", **kw)

def dnsfail(**kw):
    return ep(hop="dns", d=dns("proxy.golang.org", err="no such host"), failure="DNS lookup of proxy.golang.org failed: no such host", tls=False, **kw)

def refused(url="https://proxy.golang.org", **kw):
    return ep(url=url, hop="tcp", tcp=[{"family": "ipv4", "address": "10.0.0.5", "outcome": "refused", "ms": 3}], tls=False,
              failure="TCP connect to 10.0.0.5:443 was refused after 3 ms", **kw)

cases = {}
ok = ep()
cases["GBNET001"] = {"positive-dns-fails": base(facts=facts([dnsfail()])),
                     "positive-tcp-refused": base(facts=facts([refused()])),
                     "negative-healthy": base(facts=facts([ok]))}
cases["GBNET002"] = {"positive-stalled": base(facts=facts([stalled()])), "negative-healthy": base(facts=facts([ok])),
                     "negative-offline": base(facts=facts([], probesSkipped=True))}
cases["GBNET003"] = {"positive-503": base(facts=facts([ep(status=503)])), "positive-403": base(facts=facts([ep(status=403)])),
                     "negative-404-falls-through": base(facts=facts([ep(status=404)])),
                     "positive-401-with-netrc-is-a-note": base(facts=facts([ep(status=401)], netrcHosts=["proxy.golang.org"]))}
two = goenv(GOPROXY="https://proxy.corp.example|https://proxy.golang.org")
cases["GBNET004"] = {"positive-both-entries-fail": base(env=two, facts=facts([refused(url="https://proxy.corp.example"), dnsfail(index=1)])),
                     "negative-single-entry-left-to-GBNET001": base(env=goenv(GOPROXY="https://proxy.corp.example"), facts=facts([refused(url="https://proxy.corp.example")])),
                     "negative-direct-after": base(env=goenv(GOPROXY="https://proxy.corp.example,direct"), facts=facts([refused(url="https://proxy.corp.example")]))}
# GBNET005 was retired: a failing entry followed by ',' is one cause with its failure (GBNET001/GBNET003 offer the '|' fix).
cases["GBNET001"]["positive-comma-offers-pipe-fallback"] = base(facts=facts([refused()]))
cases["GBNET006"] = {"positive-bare-name": base(env=goenv(GOSUMDB="sumdb.corp.example")),
                     "positive-too-many-fields": base(env=goenv(GOSUMDB="sum.golang.org https://a https://b")),
                     "negative-default": base(), "negative-off": base(env=goenv(GOSUMDB="off"))}
sumdb_stall = ep(role="sumDb", index=-1, url="https://sum.golang.org", path="/latest", hop="http", http={"waitedMs": 1950, "timedOut": True},
                 failure="TCP and TLS connected, but no HTTP response to GET /latest within 1.95 s")
via404 = ep(role="sumDbViaProxy", index=0, path="/sumdb/sum.golang.org/supported", status=404)
via200 = ep(role="sumDbViaProxy", index=0, path="/sumdb/sum.golang.org/supported", status=200)
cases["GBNET007"] = {"positive-direct-stalls": base(facts=facts([ok, via404, sumdb_stall])),
                     "positive-explicit-url-stalls": base(env=goenv(GOPROXY="file:///srv/goproxy", GOSUMDB="sum.golang.org http://127.0.0.1:9999"),
                         facts=facts([ep(role="sumDb", index=-1, url="http://127.0.0.1:9999", path="/latest", hop="http", http={"waitedMs": 1950, "timedOut": True},
                                         d={"name": "127.0.0.1", "ipv4": ["127.0.0.1"], "ipv6": [], "literal": True}, failure="TCP connected, but no HTTP response to GET /latest within 1.95 s")])),
                     "negative-proxy-mirrors-sumdb": base(facts=facts([ok, via200, sumdb_stall])),
                     "negative-all-modules-exempt": base(env=goenv(GONOSUMDB="github.com/pkg"), facts=facts([ok, via404, sumdb_stall]))}
cases["GBNET008"] = {"positive-off": base(env=goenv(GOSUMDB="off")), "negative-gonosumdb": base(env=goenv(GONOSUMDB="git.corp.example"))}
cases["GBNET009"] = {"positive-gonosumdb-github": base(env=goenv(GONOSUMDB="github.com")),
                     "positive-goinsecure-star": base(env=goenv(GOINSECURE="*")),
                     "positive-goprivate-shown-as-gonosumdb": base(env=goenv(GOPRIVATE="github.com", GONOPROXY="github.com", GONOSUMDB="github.com")),
                     "positive-legacy-gonosumcheck": base(environment={"HOME": "/home/dev", "GONOSUMCHECK": "1"}),
                     "negative-org-pattern": base(env=goenv(GOPRIVATE="github.com/acme,git.corp.example", GONOSUMDB="github.com/acme,git.corp.example"))}
priv = [{"path": "git.corp.example/team/lib", "version": "v1.4.0", "line": 6}]
cases["GBNET010"] = {"positive-corp-host": base(requires=priv),
                     "positive-partial-coverage": base(requires=priv, env=goenv(GONOPROXY="git.corp.example")),
                     "negative-goprivate": base(requires=priv, env=goenv(GOPRIVATE="git.corp.example", GONOPROXY="git.corp.example", GONOSUMDB="git.corp.example")),
                     "negative-public-module": base()}
privenv = goenv(GOPRIVATE="git.corp.example", GONOPROXY="git.corp.example", GONOSUMDB="git.corp.example")
cases["GBNET011"] = {"positive-ssh-command-without-batchmode": base(requires=priv, env=privenv, environment={"HOME": "/home/dev", "GIT_SSH_COMMAND": "ssh -i ~/.ssh/corp_ed25519"}),
                     "positive-terminal-prompt": base(requires=priv, env=privenv, environment={"HOME": "/home/dev", "GIT_TERMINAL_PROMPT": "1"}),
                     "positive-insteadof-unknown-host": base(requires=priv, env=privenv, facts=facts(git={"configRead": True, "insteadOf": [
                         {"base": "git@git.corp.example:", "prefix": "https://git.corp.example/", "toSsh": True, "sshHost": "git.corp.example", "hostKnown": False}],
                         "knownHostsFiles": ["/home/dev/.ssh/known_hosts"]})),
                     "positive-credential-manager": base(requires=priv, env=privenv, facts=facts(git={"configRead": True, "credentialHelpers": ["manager"]})),
                     "negative-batchmode": base(requires=priv, env=privenv, environment={"HOME": "/home/dev", "GIT_SSH_COMMAND": "ssh -i ~/.ssh/corp_ed25519 -o BatchMode=yes"}),
                     "negative-no-direct-fetch": base(environment={"HOME": "/home/dev", "GIT_TERMINAL_PROMPT": "1"})}
cases["GBNET012"] = {"positive-direct-without-git": base(env=goenv(GOPROXY="direct"), git="notFound"),
                     "negative-proxy-only": base(git="notFound"),
                     "negative-git-present": base(env=goenv(GOPROXY="direct"))}
cases["GBNET013"] = {"positive-auto-through-stalled-proxy": base(version="1.21.0", go="1.22", env=goenv(GOTOOLCHAIN="auto"), facts=facts([stalled()])),
                     "negative-local": base(version="1.21.0", go="1.22", env=goenv(GOTOOLCHAIN="local"), facts=facts([stalled()])),
                     "negative-healthy-proxy": base(version="1.21.0", go="1.22", env=goenv(GOTOOLCHAIN="auto"), facts=facts([ok]))}
cases["GBNET014"] = {"positive-toolchain-line": base(version="1.19.8", go="1.21", toolchain="go1.21.5"),
                     "positive-go-line": base(version="1.20.14", go="1.22.1"),
                     "negative-same": base(version="1.19.8", go="1.19"), "negative-new-go": base(version="1.22.3", go="1.22")}
cases["GBNET015"] = {"positive-no-answer": base(facts=facts([dnsfail()], dns={"resolvConf": "/etc/resolv.conf", "nameservers": ["10.9.9.9"],
                         "probes": [{"server": "10.9.9.9", "name": "proxy.golang.org", "answered": False, "ms": 2000, "error": "no answer (timed out)"}]})),
                     "negative-nxdomain-is-an-answer": base(facts=facts([dnsfail()], dns={"resolvConf": "/etc/resolv.conf", "nameservers": ["10.9.9.9"],
                         "probes": [{"server": "10.9.9.9", "name": "proxy.golang.org", "answered": True, "ms": 20, "rcode": 3}]}))}
v6d = dns("proxy.golang.org", v6=("2607:f8b0::1",))
cases["GBNET016"] = {"positive-v6-times-out": base(facts=facts([ep(d=v6d, tcp=[{"family": "ipv4", "address": "142.250.1.1", "outcome": "connected", "ms": 20},
                                                                                 {"family": "ipv6", "address": "2607:f8b0::1", "outcome": "timedOut", "ms": 1000}])])),
                     "negative-both-connect": base(facts=facts([ep(d=v6d, tcp=[{"family": "ipv6", "address": "2607:f8b0::1", "outcome": "connected", "ms": 18},
                                                                               {"family": "ipv4", "address": "142.250.1.1", "outcome": "connected", "ms": 20}])]))}
proxenv = {"HOME": "/home/dev", "HTTPS_PROXY": "http://REDACTED@squid.corp.example:3128"}
cases["GBNET017"] = {"positive-proxy-refused": base(environment=proxenv, facts=facts([ep(via="http://squid.corp.example:3128", hop="tcp", tls=False, d=dns("squid.corp.example", v4=("10.1.1.1",)),
                         tcp=[{"family": "ipv4", "address": "10.1.1.1", "outcome": "refused", "ms": 2}], failure="TCP connect to 10.1.1.1:3128 (through the proxy http://squid.corp.example:3128 from HTTPS_PROXY) was refused after 2 ms")])),
                     "positive-connect-stalls": base(environment=proxenv, facts=facts([ep(via="http://squid.corp.example:3128", hop="proxyConnect", tls=False, d=dns("squid.corp.example", v4=("10.1.1.1",)),
                         proxyConnect={"ms": 1950, "timedOut": True}, failure="the HTTP proxy http://squid.corp.example:3128 from HTTPS_PROXY accepted the connection but did not answer CONNECT within 1.95 s")])),
                     "negative-proxy-works": base(environment=proxenv, facts=facts([ep(via="http://squid.corp.example:3128", proxyConnect={"status": 200, "ms": 30})]))}
badtls = {"ok": False, "ms": 35, "subject": "CN=proxy.golang.org", "issuer": "CN=Corp SSL Inspection CA, O=Corp", "chain": ["CN=proxy.golang.org ← CN=Corp SSL Inspection CA, O=Corp"],
          "error": "certificate signed by unknown authority (issuer: CN=Corp SSL Inspection CA, O=Corp)", "unknownAuthority": True}
cases["GBNET018"] = {"positive-intercepted": base(facts=facts([ep(hop="tls", tls=badtls, failure="TLS handshake with proxy.golang.org failed after 35 ms: certificate signed by unknown authority")])),
                     "negative-trusted": base(facts=facts([ok]))}
fileenv = goenv(GOPROXY="file:///srv/goproxy", GONOSUMDB="github.com/pkg")
cases["GBNET019"] = {"positive-missing": base(env=fileenv, facts=facts(fileProxies=[{"proxyIndex": 0, "url": "file:///srv/goproxy", "path": "/srv/goproxy", "exists": False, "error": "does not exist"}])),
                     "positive-not-a-proxy": base(env=fileenv, facts=facts(fileProxies=[{"proxyIndex": 0, "url": "file:///srv/goproxy", "path": "/srv/goproxy", "exists": True, "readable": True, "hasProxyLayout": False, "sampleModule": "github.com/pkg/errors", "sampleListed": False}])),
                     "negative-healthy": base(env=fileenv, facts=facts(fileProxies=[{"proxyIndex": 0, "url": "file:///srv/goproxy", "path": "/srv/goproxy", "exists": True, "readable": True, "hasProxyLayout": True, "sampleModule": "github.com/pkg/errors", "sampleListed": True}]))}
cases["GBNET020"] = {"positive-bad-scheme": base(env=goenv(GOPROXY="ftp://mirror.corp.example")), "positive-only-separators": base(env=goenv(GOPROXY=" , ")),
                     "negative-default": base()}

for rule, files in cases.items():
    d = os.path.join(OUT, rule); os.makedirs(d, exist_ok=True)
    for name, snap in files.items():
        with open(os.path.join(d, name + ".json"), "w") as f:
            json.dump(snap, f, indent=2, ensure_ascii=False); f.write("\n")
print(sum(len(v) for v in cases.values()), "fixtures")
