using System;
using IoTSec.Gateway.Tpm.Interop;
using IoTSec.Gateway.Tpm.Wire;

namespace IoTSec.Gateway.Tpm.Esys;

/// <summary>
/// One connection to the TPM through tpm2-tss: a TCTI from the loader and an ESYS context
/// over it. Not thread-safe (Esys contexts are not); open one per operation, as the key store
/// does. Each method is one Esys call with its structures converted from and to wire format.
/// </summary>
internal sealed class EsysContext : IDisposable
{
    private nint _tcti;
    private nint _esys;

    private EsysContext(nint tcti, nint esys)
    {
        _tcti = tcti;
        _esys = esys;
    }

    /// <summary>Connects through the TCTI <paramref name="tcti"/> (e.g. "device:/dev/tpmrm0").</summary>
    /// <exception cref="TssException">The TCTI could not be loaded or the TPM did not answer.</exception>
    /// <exception cref="DllNotFoundException">tpm2-tss is not installed.</exception>
    public static EsysContext Open(string tcti)
    {
        TssException.ThrowIfFailed($"Tss2_TctiLdr_Initialize(\"{tcti}\")", Tss2TctiLdr.Tss2_TctiLdr_Initialize(tcti, out var tctiContext));
        var rc = Tss2Esys.Esys_Initialize(out var esys, tctiContext, 0);
        if (rc != 0)
        {
            Tss2TctiLdr.Tss2_TctiLdr_Finalize(ref tctiContext);
            throw new TssException("Esys_Initialize", rc);
        }

        return new EsysContext(tctiContext, esys);
    }

    /// <summary>Creates the storage primary of <see cref="TpmTemplates.StoragePrimary"/> under the owner hierarchy (transient).</summary>
    public uint CreateStoragePrimary()
    {
        using var sensitive = NativeTpmStructure.FromWire("TPM2B_SENSITIVE_CREATE", TpmTemplates.SensitiveCreate([]).ToArray());
        using var template = NativeTpmStructure.FromWire("TPM2B_PUBLIC", TpmTemplates.StoragePrimary());
        using var outsideInfo = EmptyData();
        using var creationPcr = EmptyPcrSelection();
        Check("Esys_CreatePrimary", Tss2Esys.Esys_CreatePrimary(
            _esys, Tss2Esys.TrRhOwner, Tss2Esys.TrPassword, Tss2Esys.TrNone, Tss2Esys.TrNone,
            sensitive.Pointer, template.Pointer, outsideInfo.Pointer, creationPcr.Pointer,
            out var handle, 0, 0, 0, 0));
        return handle;
    }

    /// <summary>
    /// Creates an object under <paramref name="parent"/>; returns its TPM2B_PUBLIC and
    /// TPM2B_PRIVATE in wire format. <paramref name="encryptionSession"/>, if not
    /// <see cref="Tss2Esys.TrNone"/>, encrypts the first command parameter (the sensitive data).
    /// </summary>
    public (byte[] Public, byte[] Private) Create(uint parent, ReadOnlySpan<byte> sensitiveCreate, ReadOnlySpan<byte> publicTemplate, uint encryptionSession)
    {
        using var sensitive = NativeTpmStructure.FromWire("TPM2B_SENSITIVE_CREATE", sensitiveCreate);
        using var template = NativeTpmStructure.FromWire("TPM2B_PUBLIC", publicTemplate);
        using var outsideInfo = EmptyData();
        using var creationPcr = EmptyPcrSelection();
        Check("Esys_Create", Tss2Esys.Esys_Create(
            _esys, parent, Tss2Esys.TrPassword, encryptionSession, Tss2Esys.TrNone,
            sensitive.Pointer, template.Pointer, outsideInfo.Pointer, creationPcr.Pointer,
            out var outPrivate, out var outPublic, 0, 0, 0));
        byte[] publicWire;
        try
        {
            publicWire = NativeTpmStructure.TakeWire("TPM2B_PUBLIC", outPublic);
        }
        catch
        {
            Tss2Esys.Esys_Free(outPrivate);
            throw;
        }

        return (publicWire, NativeTpmStructure.TakeWire("TPM2B_PRIVATE", outPrivate));
    }

    /// <summary>Loads an object made by <see cref="Create"/> under <paramref name="parent"/>.</summary>
    public uint Load(uint parent, ReadOnlySpan<byte> privateWire, ReadOnlySpan<byte> publicWire)
    {
        using var inPrivate = NativeTpmStructure.FromWire("TPM2B_PRIVATE", privateWire);
        using var inPublic = NativeTpmStructure.FromWire("TPM2B_PUBLIC", publicWire);
        Check("Esys_Load", Tss2Esys.Esys_Load(
            _esys, parent, Tss2Esys.TrPassword, Tss2Esys.TrNone, Tss2Esys.TrNone,
            inPrivate.Pointer, inPublic.Pointer, out var handle));
        return handle;
    }

    /// <summary>Makes a loaded object persistent at <paramref name="persistentHandle"/> (owner authorisation).</summary>
    public void MakePersistent(uint transientObject, uint persistentHandle)
    {
        Check("Esys_EvictControl", Tss2Esys.Esys_EvictControl(
            _esys, Tss2Esys.TrRhOwner, transientObject, Tss2Esys.TrPassword, Tss2Esys.TrNone, Tss2Esys.TrNone,
            persistentHandle, out var persistentObject));
        Close(persistentObject);
    }

    /// <summary>The ESYS_TR of the object at a TPM handle, or null when nothing is there.</summary>
    public uint? TryOpenPersistent(uint tpmHandle)
    {
        var rc = Tss2Esys.Esys_TR_FromTPMPublic(_esys, tpmHandle, Tss2Esys.TrNone, Tss2Esys.TrNone, Tss2Esys.TrNone, out var handle);
        if (rc == 0)
        {
            return handle;
        }

        var error = new TssException($"Esys_TR_FromTPMPublic(0x{tpmHandle:x8})", rc);
        return error.IsTpmError(TssException.TpmRcHandle) ? null : throw error;
    }

    /// <summary>The TPM2B_PUBLIC of a loaded or persistent object, in wire format.</summary>
    public byte[] ReadPublic(uint handle)
    {
        Check("Esys_ReadPublic", Tss2Esys.Esys_ReadPublic(
            _esys, handle, Tss2Esys.TrNone, Tss2Esys.TrNone, Tss2Esys.TrNone, out var outPublic, 0, 0));
        return NativeTpmStructure.TakeWire("TPM2B_PUBLIC", outPublic);
    }

    /// <summary>
    /// Starts a session (TPM2_SE_HMAC 0, TPM2_SE_POLICY 1, TPM2_SE_TRIAL 3) with SHA-256.
    /// With a <paramref name="saltKey"/> the session is salted to that key and uses AES-128-CFB
    /// parameter encryption: on a real gateway the TPM sits on an SPI bus a probe can read.
    /// </summary>
    public uint StartSession(byte sessionType, uint saltKey)
    {
        var salted = saltKey != Tss2Esys.TrNone;
        var symmetricWire = salted
            ? new TpmWireWriter().UInt16(TpmAlgorithm.Aes).UInt16(128).UInt16(TpmAlgorithm.Cfb).ToArray()
            : new TpmWireWriter().UInt16(TpmAlgorithm.Null).ToArray();
        using var symmetric = NativeTpmStructure.FromWire("TPMT_SYM_DEF", symmetricWire);
        Check("Esys_StartAuthSession", Tss2Esys.Esys_StartAuthSession(
            _esys, saltKey, Tss2Esys.TrNone, Tss2Esys.TrNone, Tss2Esys.TrNone, Tss2Esys.TrNone,
            0, sessionType, symmetric.Pointer, TpmAlgorithm.Sha256, out var session));
        return session;
    }

    /// <summary>Sets TPMA_SESSION bits (continueSession 0x01, decrypt 0x20, encrypt 0x40) on a session.</summary>
    public void SetSessionAttributes(uint session, byte flags, byte mask) =>
        Check("Esys_TRSess_SetAttributes", Tss2Esys.Esys_TRSess_SetAttributes(_esys, session, flags, mask));

    /// <summary>TPM2_PolicyPCR; an empty <paramref name="pcrDigest"/> lets the TPM use the current PCR values.</summary>
    public void PolicyPcr(uint session, ReadOnlySpan<byte> pcrDigest, ReadOnlySpan<byte> pcrSelectionWire)
    {
        using var digest = NativeTpmStructure.FromWire("TPM2B_DIGEST", new TpmWireWriter().Sized(pcrDigest).ToArray());
        using var selection = NativeTpmStructure.FromWire("TPML_PCR_SELECTION", pcrSelectionWire);
        Check("Esys_PolicyPCR", Tss2Esys.Esys_PolicyPCR(
            _esys, session, Tss2Esys.TrNone, Tss2Esys.TrNone, Tss2Esys.TrNone, digest.Pointer, selection.Pointer));
    }

    /// <summary>The policy digest a (trial) session has accumulated.</summary>
    public byte[] PolicyGetDigest(uint session)
    {
        Check("Esys_PolicyGetDigest", Tss2Esys.Esys_PolicyGetDigest(
            _esys, session, Tss2Esys.TrNone, Tss2Esys.TrNone, Tss2Esys.TrNone, out var digest));
        var wire = NativeTpmStructure.TakeWire("TPM2B_DIGEST", digest);
        var reader = new TpmWireReader(wire);
        return reader.Sized().ToArray();
    }

    /// <summary>TPM2_Unseal authorised by <paramref name="policySession"/>; returns the sealed bytes.</summary>
    public byte[] Unseal(uint item, uint policySession)
    {
        Check("Esys_Unseal", Tss2Esys.Esys_Unseal(
            _esys, item, policySession, Tss2Esys.TrNone, Tss2Esys.TrNone, out var outData));
        var wire = NativeTpmStructure.TakeWire("TPM2B_SENSITIVE_DATA", outData, wipe: true);
        try
        {
            var reader = new TpmWireReader(wire);
            return reader.Sized().ToArray();
        }
        finally
        {
            Array.Clear(wire);
        }
    }

    /// <summary>TPM2_PCR_Extend of the SHA-256 bank of PCR <paramref name="pcr"/>.</summary>
    public void PcrExtend(int pcr, ReadOnlySpan<byte> sha256Digest)
    {
        var wire = new TpmWireWriter().UInt32(1).UInt16(TpmAlgorithm.Sha256).Bytes(sha256Digest).ToArray();
        using var digests = NativeTpmStructure.FromWire("TPML_DIGEST_VALUES", wire);
        Check($"Esys_PCR_Extend({pcr})", Tss2Esys.Esys_PCR_Extend(
            _esys, Tss2Esys.TrPcr0 + (uint)pcr, Tss2Esys.TrPassword, Tss2Esys.TrNone, Tss2Esys.TrNone, digests.Pointer));
    }

    /// <summary>TPM2_PCR_Reset (PCR 16 and 23 are resettable at locality 0).</summary>
    public void PcrReset(int pcr) =>
        Check($"Esys_PCR_Reset({pcr})", Tss2Esys.Esys_PCR_Reset(
            _esys, Tss2Esys.TrPcr0 + (uint)pcr, Tss2Esys.TrPassword, Tss2Esys.TrNone, Tss2Esys.TrNone));

    /// <summary>The SHA-256 bank value of one PCR.</summary>
    public byte[] PcrRead(int pcr)
    {
        using var selection = NativeTpmStructure.FromWire("TPML_PCR_SELECTION", TpmPcrPolicy.Selection(pcr));
        Check($"Esys_PCR_Read({pcr})", Tss2Esys.Esys_PCR_Read(
            _esys, Tss2Esys.TrNone, Tss2Esys.TrNone, Tss2Esys.TrNone, selection.Pointer,
            out _, out var selectionOut, out var values));
        Tss2Esys.Esys_Free(selectionOut);
        var wire = NativeTpmStructure.TakeWire("TPML_DIGEST", values);
        var reader = new TpmWireReader(wire);
        if (reader.UInt32() != 1)
        {
            throw new TssException($"Esys_PCR_Read({pcr}): the TPM has no SHA-256 bank for this PCR", 0);
        }

        return reader.Sized().ToArray();
    }

    /// <summary>Flushes a transient object or session from the TPM.</summary>
    public void Flush(uint handle) =>
        Check("Esys_FlushContext", Tss2Esys.Esys_FlushContext(_esys, handle));

    /// <summary>Forgets an ESYS_TR without touching the TPM (persistent objects).</summary>
    public void Close(uint handle) =>
        Check("Esys_TR_Close", Tss2Esys.Esys_TR_Close(_esys, ref handle));

    public void Dispose()
    {
        if (_esys != 0)
        {
            Tss2Esys.Esys_Finalize(ref _esys);
            _esys = 0;
        }

        if (_tcti != 0)
        {
            Tss2TctiLdr.Tss2_TctiLdr_Finalize(ref _tcti);
            _tcti = 0;
        }
    }

    private static NativeTpmStructure EmptyData() => NativeTpmStructure.FromWire("TPM2B_DATA", [0, 0]);

    private static NativeTpmStructure EmptyPcrSelection() => NativeTpmStructure.FromWire("TPML_PCR_SELECTION", [0, 0, 0, 0]);

    private static void Check(string operation, uint rc) => TssException.ThrowIfFailed(operation, rc);
}
