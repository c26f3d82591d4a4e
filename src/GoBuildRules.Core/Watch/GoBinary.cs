using System.Buffers.Binary;
using System.Text;

namespace GoBuildRules.Core.Watch;

/// <summary>
/// Whether an executable was built by Go: only those print every goroutine on SIGQUIT; any other
/// program (sh, gcc, git) would just die of it, or dump core.
/// </summary>
public static class GoBinary
{
    /// <summary>True when the ELF file has a .go.buildinfo or .note.go.buildid section, as every Go binary since 1.13 has.</summary>
    public static bool IsGo(string executable)
    {
        try
        {
            using var file = File.OpenRead(executable);
            var header = new byte[64];
            if (file.Read(header, 0, 64) < 64 || header[0] != 0x7f || header[1] != (byte)'E' || header[2] != (byte)'L' || header[3] != (byte)'F')
            {
                return false;
            }

            // Only 64-bit little-endian: the platforms watch runs on (linux-x64, linux-arm64).
            if (header[4] != 2 || header[5] != 1)
            {
                return false;
            }

            var sectionTable = BinaryPrimitives.ReadInt64LittleEndian(header.AsSpan(0x28));
            var entrySize = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3A));
            var count = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3C));
            var namesIndex = BinaryPrimitives.ReadUInt16LittleEndian(header.AsSpan(0x3E));
            if (entrySize < 64 || count == 0 || namesIndex >= count || sectionTable <= 0 || sectionTable + ((long)count * entrySize) > file.Length)
            {
                return false;
            }

            var sections = new byte[count * entrySize];
            file.Position = sectionTable;
            file.ReadExactly(sections);
            var names = sections.AsSpan(namesIndex * entrySize, entrySize);
            var namesOffset = BinaryPrimitives.ReadInt64LittleEndian(names[0x18..]);
            var namesSize = (int)Math.Min(BinaryPrimitives.ReadInt64LittleEndian(names[0x20..]), 1 << 20);
            var table = new byte[namesSize];
            file.Position = namesOffset;
            file.ReadExactly(table);
            for (var i = 0; i < count; i++)
            {
                var nameAt = (int)BinaryPrimitives.ReadUInt32LittleEndian(sections.AsSpan(i * entrySize));
                if (nameAt >= table.Length)
                {
                    continue;
                }

                var end = Array.IndexOf(table, (byte)0, nameAt);
                var name = Encoding.ASCII.GetString(table, nameAt, (end < 0 ? table.Length : end) - nameAt);
                if (name is ".go.buildinfo" or ".note.go.buildid")
                {
                    return true;
                }
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or EndOfStreamException or ArgumentException)
        {
            return false;
        }
    }
}
