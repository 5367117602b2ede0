using System;
using System.Security.Cryptography;
using IoTSec.Gateway.Tpm.Wire;

namespace IoTSec.Gateway.Tpm;

/// <summary>
/// The tamper latch: PCR 23 of the SHA-256 bank. It is resettable at locality 0 (TCG PC
/// Client platform profile: the "application support" PCR), all zeros after TPM2_Startup, and
/// nothing on a Raspberry Pi's boot chain measures into it. Secrets are sealed to it holding
/// that reset value; the tamper response extends it, an operator's re-arm resets it.
/// </summary>
internal static class TpmPcrPolicy
{
    public const int TamperPcr = 23;

    /// <summary>TPML_PCR_SELECTION in wire format selecting one PCR of the SHA-256 bank.</summary>
    public static byte[] Selection(int pcr)
    {
        if (pcr is < 0 or > 23)
        {
            throw new ArgumentOutOfRangeException(nameof(pcr), "PCR index 0..23");
        }

        var select = new byte[3];
        select[pcr / 8] = (byte)(1 << (pcr % 8));
        return new TpmWireWriter()
            .UInt32(1)                     // count
            .UInt16(TpmAlgorithm.Sha256)   // hash
            .UInt8(3)                      // sizeofSelect
            .Bytes(select)
            .ToArray();
    }

    /// <summary>The PCR value after TPM2_Startup(CLEAR) or TPM2_PCR_Reset: 32 zero bytes.</summary>
    public static byte[] ResetValue() => new byte[32];

    /// <summary>
    /// The pcrDigest argument of TPM2_PolicyPCR for PCR 23 holding its reset value: the
    /// SHA-256 of the concatenated selected PCR values (TPM 2.0 Part 3, PolicyPCR).
    /// </summary>
    public static byte[] ExpectedPcrDigest() => SHA256.HashData(ResetValue());

    /// <summary>The digest the tamper response extends into PCR 23 (a fixed, recognisable label).</summary>
    public static byte[] TamperEventDigest() => SHA256.HashData("IoTSec gateway tamper event"u8);
}
