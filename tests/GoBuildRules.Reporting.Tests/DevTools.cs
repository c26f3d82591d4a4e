using GoBuildRules.Tests.Shared;
using System.Diagnostics;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace GoBuildRules.Reporting.Tests;

/// <summary>
/// Drives headless Chromium over the DevTools protocol (a WebSocket on 127.0.0.1): opens one page,
/// records every network request that page makes (Network.requestWillBeSent), every console and
/// CSP message, evaluates script in it and takes screenshots. Requests of the browser itself
/// (update checks and the like) are not the page's and are not recorded; they go to the
/// <see cref="StatusServer"/> proxy (answering 502), so nothing leaves the machine either way.
/// </summary>
public sealed class DevTools : IAsyncDisposable
{
    private readonly Process browser;
    private readonly string profile;
    private readonly ClientWebSocket socket = new();
    private readonly Dictionary<int, TaskCompletionSource<JsonObject>> pending = [];
    private readonly List<string> requests = [];
    private readonly List<string> messages = [];
    private readonly TaskCompletionSource loaded = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource stop = new();
    private Task? receiver;
    private int nextId;
    private string? session;

    private DevTools(Process browser, string profile)
    {
        this.browser = browser;
        this.profile = profile;
    }

    /// <summary>Every URL the page requested, in order (its own document included).</summary>
    public IReadOnlyList<string> Requests
    {
        get { lock (requests) return requests.ToList(); }
    }

    /// <summary>Console messages and browser log entries (CSP violations show up here).</summary>
    public IReadOnlyList<string> Messages
    {
        get { lock (messages) return messages.ToList(); }
    }

    public static async Task<DevTools> StartAsync(StatusServer proxy, TimeSpan timeout)
    {
        var profile = Directory.CreateTempSubdirectory("gbr-chromium-").FullName;
        var psi = new ProcessStartInfo(Chromium.Path)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var a in (string[])[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--no-default-browser-check",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-extensions",
            "--disable-dev-shm-usage", "--hide-scrollbars", $"--user-data-dir={profile}",
            "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
            $"--proxy-server=http://127.0.0.1:{proxy.Port}", "--proxy-bypass-list=<-loopback>",
            "about:blank"])
        {
            psi.ArgumentList.Add(a);
        }

        var process = Process.Start(psi)!;
        process.StandardInput.Close();
        _ = process.StandardOutput.ReadToEndAsync();
        _ = process.StandardError.ReadToEndAsync();
        var devtools = new DevTools(process, profile);
        try
        {
            await devtools.ConnectAsync(timeout);
            return devtools;
        }
        catch
        {
            await devtools.DisposeAsync();
            throw;
        }
    }

    private async Task ConnectAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        var portFile = Path.Combine(profile, "DevToolsActivePort");
        string[] lines = [];
        while (lines.Length < 2)
        {
            if (browser.HasExited)
            {
                throw new InvalidOperationException($"chromium exited with {browser.ExitCode} before it opened its DevTools port");
            }

            await Task.Delay(100, cts.Token);
            if (File.Exists(portFile))
            {
                lines = (await File.ReadAllTextAsync(portFile, cts.Token)).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{lines[0].Trim()}{lines[1].Trim()}"), cts.Token);
        receiver = Task.Run(ReceiveAsync);

        var target = await SendAsync("Target.createTarget", new JsonObject { ["url"] = "about:blank" }, timeout, toBrowser: true);
        var attached = await SendAsync("Target.attachToTarget", new JsonObject { ["targetId"] = (string)target["targetId"]!, ["flatten"] = true }, timeout, toBrowser: true);
        session = (string)attached["sessionId"]!;
        foreach (var domain in new[] { "Network.enable", "Page.enable", "Runtime.enable", "Log.enable" })
        {
            await SendAsync(domain, new JsonObject(), timeout);
        }

        await SendAsync("Emulation.setDeviceMetricsOverride", new JsonObject { ["width"] = 1280, ["height"] = 2000, ["deviceScaleFactor"] = 1, ["mobile"] = false }, timeout);
    }

    /// <summary>Navigates and waits for the load event, then a little longer for late requests.</summary>
    public async Task NavigateAsync(string url, TimeSpan timeout)
    {
        await SendAsync("Page.navigate", new JsonObject { ["url"] = url }, timeout);
        await loaded.Task.WaitAsync(timeout);
        await Task.Delay(500);
    }

    /// <summary>Evaluates an expression in the page and returns its value as JSON.</summary>
    public async Task<JsonNode?> EvaluateAsync(string expression, TimeSpan timeout)
    {
        var result = await SendAsync("Runtime.evaluate", new JsonObject { ["expression"] = expression, ["returnByValue"] = true }, timeout);
        if (result["exceptionDetails"] is { } e)
        {
            throw new InvalidOperationException($"script failed in the page: {e.ToJsonString()}");
        }

        return result["result"]?["value"]?.DeepClone();
    }

    public async Task ScreenshotAsync(string file, TimeSpan timeout)
    {
        var shot = await SendAsync("Page.captureScreenshot", new JsonObject { ["format"] = "png", ["captureBeyondViewport"] = true }, timeout);
        await File.WriteAllBytesAsync(file, Convert.FromBase64String((string)shot["data"]!));
    }

    public async Task EmulatePrintAsync(TimeSpan timeout) =>
        await SendAsync("Emulation.setEmulatedMedia", new JsonObject { ["media"] = "print" }, timeout);

    public async Task<byte[]> PrintToPdfAsync(TimeSpan timeout)
    {
        var pdf = await SendAsync("Page.printToPDF", new JsonObject { ["printBackground"] = false }, timeout);
        return Convert.FromBase64String((string)pdf["data"]!);
    }

    private async Task<JsonObject> SendAsync(string method, JsonObject parameters, TimeSpan timeout, bool toBrowser = false)
    {
        var id = Interlocked.Increment(ref nextId);
        var message = new JsonObject { ["id"] = id, ["method"] = method, ["params"] = parameters };
        if (!toBrowser && session is not null)
        {
            message["sessionId"] = session;
        }

        var done = new TaskCompletionSource<JsonObject>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (pending) pending[id] = done;
        using var cts = new CancellationTokenSource(timeout);
        await socket.SendAsync(Encoding.UTF8.GetBytes(message.ToJsonString()), WebSocketMessageType.Text, true, cts.Token);
        var response = await done.Task.WaitAsync(timeout);
        if (response["error"] is { } error)
        {
            throw new InvalidOperationException($"{method} failed: {error.ToJsonString()}");
        }

        return response["result"] as JsonObject ?? [];
    }

    private async Task ReceiveAsync()
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        while (!stop.IsCancellationRequested && socket.State == WebSocketState.Open)
        {
            WebSocketReceiveResult chunk;
            try
            {
                chunk = await socket.ReceiveAsync(buffer, stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or WebSocketException or ObjectDisposedException)
            {
                break;
            }

            if (chunk.MessageType == WebSocketMessageType.Close)
            {
                break;
            }

            message.Write(buffer, 0, chunk.Count);
            if (!chunk.EndOfMessage)
            {
                continue;
            }

            var node = JsonNode.Parse(message.ToArray()) as JsonObject;
            message.SetLength(0);
            if (node is null)
            {
                continue;
            }

            if (node["id"] is { } idNode)
            {
                TaskCompletionSource<JsonObject>? waiter;
                lock (pending) pending.Remove((int)idNode, out waiter);
                waiter?.TrySetResult(node);
                continue;
            }

            var p = node["params"];
            switch ((string?)node["method"])
            {
                case "Network.requestWillBeSent":
                    lock (requests) requests.Add((string)p!["request"]!["url"]!);
                    break;
                case "Page.loadEventFired":
                    loaded.TrySetResult();
                    break;
                case "Log.entryAdded":
                    lock (messages) messages.Add($"{(string?)p!["entry"]!["level"]}: {(string?)p["entry"]!["text"]}");
                    break;
                case "Runtime.consoleAPICalled":
                    lock (messages) messages.Add($"console.{(string?)p!["type"]}: {p["args"]?.ToJsonString()}");
                    break;
                case "Runtime.exceptionThrown":
                    lock (messages) messages.Add($"exception: {p!["exceptionDetails"]?.ToJsonString()}");
                    break;
            }
        }

        lock (pending)
        {
            foreach (var w in pending.Values) w.TrySetException(new InvalidOperationException("the DevTools connection closed"));
            pending.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (socket.State == WebSocketState.Open)
            {
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, "", cts.Token);
            }
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
            // The browser is stopped below in any case.
        }

        stop.Cancel();
        if (!browser.HasExited)
        {
            browser.Kill(entireProcessTree: true);
        }

        browser.WaitForExit(5000);
        if (receiver is not null)
        {
            await Task.WhenAny(receiver, Task.Delay(2000));
        }

        socket.Dispose();
        browser.Dispose();
        stop.Dispose();
        try
        {
            Directory.Delete(profile, recursive: true);
        }
        catch (IOException)
        {
            // A profile left in /tmp must not fail the test.
        }
    }
}
