using System;
using System.Runtime.InteropServices;

namespace IoTSec.Gateway.Tpm.Interop;

/// <summary>Response-code decoding of tpm2-tss (libtss2-rc, Debian libtss2-rc0).</summary>
internal static partial class Tss2Rc
{
    public const string Library = "libtss2-rc.so.0";

    /// <summary>Returns a pointer to a thread-local string such as "tpm:session(1):a policy check failed".</summary>
    [LibraryImport(Library)]
    public static partial nint Tss2_RC_Decode(uint rc);

    public static string Decode(uint rc)
    {
        try
        {
            return Marshal.PtrToStringUTF8(Tss2_RC_Decode(rc)) ?? $"0x{rc:x}";
        }
        catch (DllNotFoundException)
        {
            return $"TSS2 response code 0x{rc:x}";
        }
    }
}
