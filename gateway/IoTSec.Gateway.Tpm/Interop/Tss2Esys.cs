using System.Runtime.InteropServices;

namespace IoTSec.Gateway.Tpm.Interop;

/// <summary>
/// The enhanced system API of tpm2-tss (libtss2-esys, Debian libtss2-esys-3.0.2-0). Every
/// structure pointer is an opaque native buffer filled by libtss2-mu from wire-format bytes
/// (<see cref="Esys.NativeTpmStructure"/>), so no C structure layout is declared here.
/// Signatures from tss2_esys.h (tpm2-tss 3.2).
/// </summary>
internal static partial class Tss2Esys
{
    public const string Library = "libtss2-esys.so.0";

    // ESYS_TR constants (tss2_esys.h).
    public const uint TrNone = 0xfff;
    public const uint TrPassword = 0x0ff;
    public const uint TrPcr0 = 0;
    public const uint TrRhOwner = 0x101;

    [LibraryImport(Library)]
    public static partial uint Esys_Initialize(out nint esysContext, nint tcti, nint abiVersion);

    [LibraryImport(Library)]
    public static partial void Esys_Finalize(ref nint esysContext);

    [LibraryImport(Library)]
    public static partial void Esys_Free(nint pointer);

    [LibraryImport(Library)]
    public static partial uint Esys_TR_FromTPMPublic(nint esysContext, uint tpmHandle, uint session1, uint session2, uint session3, out uint esysHandle);

    [LibraryImport(Library)]
    public static partial uint Esys_TR_Close(nint esysContext, ref uint esysHandle);

    [LibraryImport(Library)]
    public static partial uint Esys_TRSess_SetAttributes(nint esysContext, uint session, byte flags, byte mask);

    [LibraryImport(Library)]
    public static partial uint Esys_CreatePrimary(
        nint esysContext, uint primaryHandle, uint session1, uint session2, uint session3,
        nint inSensitive, nint inPublic, nint outsideInfo, nint creationPcr,
        out uint objectHandle, nint outPublic, nint creationData, nint creationHash, nint creationTicket);

    [LibraryImport(Library)]
    public static partial uint Esys_Create(
        nint esysContext, uint parentHandle, uint session1, uint session2, uint session3,
        nint inSensitive, nint inPublic, nint outsideInfo, nint creationPcr,
        out nint outPrivate, out nint outPublic, nint creationData, nint creationHash, nint creationTicket);

    [LibraryImport(Library)]
    public static partial uint Esys_Load(
        nint esysContext, uint parentHandle, uint session1, uint session2, uint session3,
        nint inPrivate, nint inPublic, out uint objectHandle);

    [LibraryImport(Library)]
    public static partial uint Esys_EvictControl(
        nint esysContext, uint auth, uint objectHandle, uint session1, uint session2, uint session3,
        uint persistentHandle, out uint newObjectHandle);

    [LibraryImport(Library)]
    public static partial uint Esys_FlushContext(nint esysContext, uint flushHandle);

    [LibraryImport(Library)]
    public static partial uint Esys_ReadPublic(
        nint esysContext, uint objectHandle, uint session1, uint session2, uint session3,
        out nint outPublic, nint name, nint qualifiedName);

    [LibraryImport(Library)]
    public static partial uint Esys_StartAuthSession(
        nint esysContext, uint tpmKey, uint bind, uint session1, uint session2, uint session3,
        nint nonceCaller, byte sessionType, nint symmetric, ushort authHash, out uint sessionHandle);

    [LibraryImport(Library)]
    public static partial uint Esys_PolicyPCR(
        nint esysContext, uint policySession, uint session1, uint session2, uint session3,
        nint pcrDigest, nint pcrs);

    [LibraryImport(Library)]
    public static partial uint Esys_PolicyGetDigest(
        nint esysContext, uint policySession, uint session1, uint session2, uint session3,
        out nint policyDigest);

    [LibraryImport(Library)]
    public static partial uint Esys_Unseal(
        nint esysContext, uint itemHandle, uint session1, uint session2, uint session3,
        out nint outData);

    [LibraryImport(Library)]
    public static partial uint Esys_PCR_Extend(
        nint esysContext, uint pcrHandle, uint session1, uint session2, uint session3, nint digests);

    [LibraryImport(Library)]
    public static partial uint Esys_PCR_Reset(
        nint esysContext, uint pcrHandle, uint session1, uint session2, uint session3);

    [LibraryImport(Library)]
    public static partial uint Esys_PCR_Read(
        nint esysContext, uint session1, uint session2, uint session3, nint pcrSelectionIn,
        out uint pcrUpdateCounter, out nint pcrSelectionOut, out nint pcrValues);
}
