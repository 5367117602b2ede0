using System;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Tpm.Esys;

namespace IoTSec.Gateway.Tpm;

/// <summary>
/// PCR 23 as a tamper latch: <see cref="Set"/> extends it (sealed secrets stay sealed),
/// <see cref="Reset"/> resets it (an operator's re-arm), <see cref="IsSet"/> reads it. A TPM
/// restart (every reboot) resets it as well, so it is evidence only for the current boot.
/// </summary>
public sealed class TpmTamperLatch
{
    private readonly TpmConnection _connection;

    /// <summary>The latch of the TPM reached through <paramref name="tcti"/>.</summary>
    public TpmTamperLatch(string tcti)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tcti);
        _connection = new TpmConnection(tcti);
    }

    /// <summary>The PCR used (sha256 bank).</summary>
    public static int Pcr => TpmPcrPolicy.TamperPcr;

    /// <summary>True when PCR 23 is not at its reset value.</summary>
    /// <exception cref="SecretSealedException">The TPM could not be read.</exception>
    public bool IsSet => Run("read the tamper latch", esys =>
        !CryptographicOperations.FixedTimeEquals(esys.PcrRead(TpmPcrPolicy.TamperPcr), TpmPcrPolicy.ResetValue()));

    /// <summary>Extends PCR 23 with the tamper event digest.</summary>
    public void Set() => Run<object?>("mark the gateway tampered", esys =>
    {
        esys.PcrExtend(TpmPcrPolicy.TamperPcr, TpmPcrPolicy.TamperEventDigest());
        return null;
    });

    /// <summary>Resets PCR 23 (allowed at locality 0 for this PCR).</summary>
    public void Reset() => Run<object?>("re-arm the gateway", esys =>
    {
        esys.PcrReset(TpmPcrPolicy.TamperPcr);
        return null;
    });

    private T Run<T>(string what, Func<EsysContext, T> operation)
    {
        try
        {
            using var esys = _connection.Open();
            return operation(esys);
        }
        catch (TpmUnavailableException e)
        {
            throw new SecretSealedException($"cannot {what}: {e.Message}", e);
        }
        catch (TssException e)
        {
            throw new SecretSealedException($"cannot {what}: {e.Message}", e);
        }
    }
}
