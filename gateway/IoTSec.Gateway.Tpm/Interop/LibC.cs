using System.Runtime.InteropServices;

namespace IoTSec.Gateway.Tpm.Interop;

/// <summary>
/// setenv(3). .NET's Environment.SetEnvironmentVariable changes only the managed copy of the
/// environment on Unix; the OpenSSL tpm2 provider and the tabrmd TCTI read the native one
/// with getenv(3), so the variables they read are set here as well.
/// </summary>
internal static partial class LibC
{
    [LibraryImport("libc", EntryPoint = "setenv", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SetEnv(string name, string value, int overwrite);
}
