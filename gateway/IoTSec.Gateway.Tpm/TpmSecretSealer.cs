using System;
using System.IO;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Tpm.Esys;
using IoTSec.Gateway.Tpm.Interop;

namespace IoTSec.Gateway.Tpm;

/// <summary>
/// Seals small secrets (the gateway secret behind the heartbeat keys) in the TPM to a policy
/// on PCR 23 holding its reset value (all zeros), all through tpm2-tss:
/// a trial session computes the policy (PolicyPCR, PolicyGetDigest); Create makes a keyedhash
/// data object under the owner storage primary with that policy and no userWithAuth; Unseal
/// runs PolicyPCR in a real policy session. Sessions that carry the secret are salted to the
/// storage primary and encrypt it (AES-128-CFB), so it does not cross the TPM's bus in clear.
/// <see cref="MarkTampered"/> extends PCR 23, after which the policy cannot be met until
/// <see cref="Rearm"/> resets it, or the TPM restarts (a reboot clears the latch: the daemon
/// must also persist its own tamper flag; see docs/threat-model.md).
/// </summary>
[SupportedOSPlatform("linux")]
public sealed partial class TpmSecretSealer : ISecretSealer
{
    /// <summary>Longest secret sealed (the TPM's limit, MAX_SYM_DATA, is 128).</summary>
    public const int MaxSecretLength = 64;

    private const byte SessionHmac = 0x00;
    private const byte SessionPolicy = 0x01;
    private const byte SessionTrial = 0x03;
    private const byte ContinueSession = 0x01;
    private const byte DecryptParameter = 0x20;
    private const byte EncryptResponse = 0x40;

    private readonly TpmConnection _connection;
    private readonly TpmTamperLatch _latch;
    private readonly string _directory;

    /// <summary>Seals through <paramref name="tcti"/>, keeping the blobs in <paramref name="directory"/>.</summary>
    public TpmSecretSealer(string tcti, string directory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(tcti);
        ArgumentException.ThrowIfNullOrWhiteSpace(directory);
        _connection = new TpmConnection(tcti);
        _latch = new TpmTamperLatch(tcti);
        _directory = directory;
    }

    /// <summary>The PCR that serves as the tamper latch.</summary>
    public static int TamperPcr => TpmPcrPolicy.TamperPcr;

    /// <inheritdoc />
    public bool Exists(string name) => File.Exists(PathOf(name));

    /// <summary>The file that holds the sealed blob of <paramref name="name"/>.</summary>
    public string PathOf(string name)
    {
        if (name is null || !SecretName().IsMatch(name))
        {
            throw new ArgumentException("a sealed secret's name is 1 to 64 of a-z 0-9 . _ - and starts with a letter or digit", nameof(name));
        }

        return Path.Combine(_directory, name + ".tpm2-sealed");
    }

    /// <inheritdoc />
    public void Seal(string name, byte[] secret)
    {
        ArgumentNullException.ThrowIfNull(secret);
        if (secret.Length is 0 or > MaxSecretLength)
        {
            throw new ArgumentException($"a sealed secret holds 1 to {MaxSecretLength} bytes, not {secret.Length}", nameof(secret));
        }

        var path = PathOf(name);
        var (publicWire, privateWire) = Run("seal", esys =>
        {
            var primary = esys.CreateStoragePrimary();
            try
            {
                var policy = ComputePolicyDigest(esys);
                var sensitive = TpmTemplates.SensitiveCreate(secret);
                var sensitiveBytes = sensitive.ToArray();
                sensitive.Clear();
                var session = esys.StartSession(SessionHmac, primary);
                try
                {
                    esys.SetSessionAttributes(session, ContinueSession | DecryptParameter, 0xFF);
                    return esys.Create(primary, sensitiveBytes, TpmTemplates.SealedObject(policy), session);
                }
                finally
                {
                    CryptographicOperations.ZeroMemory(sensitiveBytes);
                    TpmConnection.FlushQuietly(esys, session);
                }
            }
            finally
            {
                TpmConnection.FlushQuietly(esys, primary);
            }
        });
        SealedSecretFile.Write(path, TpmPcrPolicy.TamperPcr, publicWire, privateWire);
    }

    /// <inheritdoc />
    public byte[] Unseal(string name)
    {
        var path = PathOf(name);
        (int Pcr, byte[] Public, byte[] Private) blob;
        try
        {
            blob = SealedSecretFile.Read(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            throw new SecretSealedException($"no sealed secret \"{name}\" ({path} does not exist)", e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SecretSealedException($"cannot read sealed secret \"{name}\" ({path}): {e.Message}", e);
        }
        catch (FormatException e)
        {
            throw new SecretSealedException($"sealed secret \"{name}\" is damaged ({path}): {e.Message}", e);
        }

        if (blob.Pcr != TpmPcrPolicy.TamperPcr)
        {
            throw new SecretSealedException($"sealed secret \"{name}\" is sealed to PCR {blob.Pcr}, this gateway uses PCR {TpmPcrPolicy.TamperPcr}");
        }

        return Run("unseal", esys =>
        {
            var primary = esys.CreateStoragePrimary();
            try
            {
                uint item;
                try
                {
                    item = esys.Load(primary, blob.Private, blob.Public);
                }
                catch (TssException e) when (e.IsTpmError(TssException.TpmRcIntegrity) || e.IsTpmError(TssException.TpmRcValue))
                {
                    throw new SecretSealedException(
                        $"sealed secret \"{name}\" was not sealed by this TPM (or its owner hierarchy was cleared since): {e.Message}", e);
                }

                try
                {
                    var session = esys.StartSession(SessionPolicy, primary);
                    try
                    {
                        esys.SetSessionAttributes(session, ContinueSession | EncryptResponse, 0xFF);
                        esys.PolicyPcr(session, [], TpmPcrPolicy.Selection(TpmPcrPolicy.TamperPcr));
                        return esys.Unseal(item, session);
                    }
                    catch (TssException e) when (e.IsTpmError(TssException.TpmRcPolicyFail))
                    {
                        throw new SecretSealedException(
                            $"sealed secret \"{name}\" stays sealed: PCR {TpmPcrPolicy.TamperPcr} is not at its reset value, " +
                            "so the gateway is marked tampered; inspect the enclosure, then re-arm the gateway", e);
                    }
                    finally
                    {
                        TpmConnection.FlushQuietly(esys, session);
                    }
                }
                finally
                {
                    TpmConnection.FlushQuietly(esys, item);
                }
            }
            finally
            {
                TpmConnection.FlushQuietly(esys, primary);
            }
        });
    }

    /// <inheritdoc />
    public void MarkTampered() => _latch.Set();

    /// <inheritdoc />
    public void Rearm() => _latch.Reset();

    /// <summary>True when PCR 23 is not at its reset value (sealed secrets cannot be read).</summary>
    public bool IsTampered => _latch.IsSet;

    // The policy "PCR 23 (sha256) holds its reset value", computed by the TPM in a trial
    // session from the expected value rather than the current one: sealing works even while
    // the latch is set, and the result never depends on when it was sealed.
    private static byte[] ComputePolicyDigest(EsysContext esys)
    {
        var trial = esys.StartSession(SessionTrial, Tss2Esys.TrNone);
        try
        {
            esys.PolicyPcr(trial, TpmPcrPolicy.ExpectedPcrDigest(), TpmPcrPolicy.Selection(TpmPcrPolicy.TamperPcr));
            return esys.PolicyGetDigest(trial);
        }
        finally
        {
            TpmConnection.FlushQuietly(esys, trial);
        }
    }

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

    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();
}
