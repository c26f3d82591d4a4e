namespace GoBuildRules.Core.Workspace;

/// <summary>
/// A port of go/build's import reader (cmd/go/internal/imports/read.go, go 1.19 ReadImports): reads
/// the package clause and the import declarations of a Go file and stops at the first thing that is
/// neither, so only the head of a file is ever looked at. Used to find the files that import "C".
/// </summary>
internal ref struct GoImportReader
{
    private readonly ReadOnlySpan<byte> src;
    private int pos;
    private byte peek;
    private bool hasPeek;
    private bool eof;
    private bool error;

    private GoImportReader(ReadOnlySpan<byte> src)
    {
        // A compiler may ignore a leading UTF-8 byte order mark.
        this.src = src.StartsWith("\xEF\xBB\xBF"u8) ? src[3..] : src;
    }

    /// <summary>The 1-based line of the file's `import "C"`, or null when it has none (or its head is not Go).</summary>
    public static int? ImportCLine(ReadOnlySpan<byte> source)
    {
        var r = new GoImportReader(source);
        return r.ReadImports();
    }

    private int? ReadImports()
    {
        int? line = null;
        ReadKeyword("package"u8);
        ReadIdent();
        while (PeekByte(true) == 'i')
        {
            ReadKeyword("import"u8);
            if (PeekByte(true) == '(')
            {
                NextByte(false);
                while (PeekByte(true) != ')' && !error)
                {
                    line ??= ReadImport();
                }

                NextByte(false);
            }
            else
            {
                line ??= ReadImport();
            }
        }

        return error ? null : line;
    }

    private static bool IsIdent(byte c) =>
        c is >= (byte)'A' and <= (byte)'Z' or >= (byte)'a' and <= (byte)'z' or >= (byte)'0' and <= (byte)'9' or (byte)'_' or >= 0x80;

    private byte ReadByte()
    {
        if (pos >= src.Length)
        {
            eof = true;
            return 0;
        }

        var c = src[pos++];
        if (c == 0)
        {
            error = true;
        }

        return c;
    }

    private byte PeekByte(bool skipSpace)
    {
        if (error)
        {
            return 0;
        }

        var c = hasPeek ? peek : ReadByte();
        hasPeek = false;
        while (!error && !eof && skipSpace)
        {
            // Semicolons are never needed to understand the input and count as space.
            if (c is (byte)' ' or (byte)'\f' or (byte)'\t' or (byte)'\r' or (byte)'\n' or (byte)';')
            {
                c = ReadByte();
                continue;
            }

            if (c != '/')
            {
                break;
            }

            c = ReadByte();
            if (c == '/')
            {
                while (c != '\n' && !error && !eof)
                {
                    c = ReadByte();
                }
            }
            else if (c == '*')
            {
                byte c1 = 0;
                while ((c != '*' || c1 != '/') && !error)
                {
                    if (eof)
                    {
                        error = true;
                    }

                    (c, c1) = (c1, ReadByte());
                }
            }
            else
            {
                error = true;
            }

            c = ReadByte();
        }

        peek = c;
        hasPeek = true;
        return c;
    }

    private byte NextByte(bool skipSpace)
    {
        var c = PeekByte(skipSpace);
        hasPeek = false;
        return c;
    }

    private void ReadKeyword(ReadOnlySpan<byte> keyword)
    {
        PeekByte(true);
        foreach (var k in keyword)
        {
            if (NextByte(false) != k)
            {
                error = true;
                return;
            }
        }

        if (IsIdent(PeekByte(false)))
        {
            error = true;
        }
    }

    private void ReadIdent()
    {
        if (!IsIdent(PeekByte(true)))
        {
            error = true;
            return;
        }

        while (IsIdent(PeekByte(false)))
        {
            hasPeek = false;
        }
    }

    /// <summary>An import spec: an optional name or '.', then the path; the line when the path is "C".</summary>
    private int? ReadImport()
    {
        var c = PeekByte(true);
        if (c == '.')
        {
            hasPeek = false;
        }
        else if (IsIdent(c))
        {
            ReadIdent();
        }

        return ReadString();
    }

    private int? ReadString()
    {
        var quote = NextByte(true);
        if (quote is not ((byte)'`' or (byte)'"'))
        {
            error = true;
            return null;
        }

        var start = pos - 1;
        while (!error)
        {
            var c = NextByte(false);
            if (c == quote)
            {
                break;
            }

            if (eof || (quote == '"' && c == '\n'))
            {
                error = true;
                return null;
            }

            if (quote == '"' && c == '\\')
            {
                NextByte(false);
            }
        }

        return !error && pos - start == 3 && src[start + 1] == 'C' ? 1 + src[..start].Count((byte)'\n') : null;
    }
}
