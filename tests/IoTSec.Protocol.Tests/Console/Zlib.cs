using System;
using System.Runtime.InteropServices;
using IoTSec.Testing;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>zlib's own crc32(), the reference the console's CRC-32 must agree with.</summary>
internal static class Zlib
{
    private const string Library = "libz.so.1";

    /// <summary>zlib's <c>crc32(crc, buf, len)</c>; requires libz.so.1 (Debian zlib1g).</summary>
    public static uint Crc32(uint crc, byte[] data)
    {
        try
        {
            return (uint)NativeCrc32(new CULong(crc), data, (uint)data.Length).Value;
        }
        catch (DllNotFoundException)
        {
            RequiredComponent.Missing("libz.so.1 (Debian package zlib1g)");
            throw;
        }
    }

    // DllImport rather than LibraryImport: the generated stub would need unsafe code in the
    // test project for this one call.
    [DllImport(Library, EntryPoint = "crc32")]
    private static extern CULong NativeCrc32(CULong crc, byte[] buf, uint len);
}
