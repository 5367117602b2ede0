using System.Runtime.InteropServices;

namespace IoTSec.Gateway.Hardware.Interop;

/// <summary>The two libc calls .NET does not offer: fsync of a directory, so that a rename in it survives a power cut.</summary>
internal static partial class LibC
{
    public const int ReadOnly = 0;
    public const int Directory = 0x10000; // O_DIRECTORY (Linux, x86-64 and arm64)
    public const int CloseOnExec = 0x80000; // O_CLOEXEC

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    public static partial int Fsync(int descriptor);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int descriptor);
}
