using System.Runtime.InteropServices;

namespace IoTSec.Gateway.Tpm.Interop;

/// <summary>
/// The TCTI loader of tpm2-tss (libtss2-tctildr, Debian libtss2-tctildr0): turns a TCTI
/// string such as "device:/dev/tpmrm0" or "tabrmd:bus_type=session" into a transport.
/// </summary>
internal static partial class Tss2TctiLdr
{
    public const string Library = "libtss2-tctildr.so.0";

    [LibraryImport(Library, StringMarshalling = StringMarshalling.Utf8)]
    public static partial uint Tss2_TctiLdr_Initialize(string nameConf, out nint tctiContext);

    [LibraryImport(Library)]
    public static partial void Tss2_TctiLdr_Finalize(ref nint tctiContext);
}
