using System;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Tpm.Esys;
using IoTSec.Gateway.Tpm.Interop;
using IoTSec.Gateway.Tpm.OpenSsl;

namespace IoTSec.Gateway.Tpm;

/// <summary>
/// The gateway's keys as persistent TPM 2.0 objects (ADR 0005). Keys are created through
/// tpm2-tss (ECC P-256, ECDSA-SHA256, fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign,
/// under the owner hierarchy's storage primary, then made persistent at the configured
/// handles) and used for signing through the OpenSSL tpm2 provider. The private keys never
/// leave the TPM.
/// </summary>
[SupportedOSPlatform("linux")]
public sealed class TpmKeyStore : IGatewayKeyStore
{
    private readonly TpmKeyStoreOptions _options;
    private readonly TpmConnection _connection;
    private readonly TpmSecretSealer? _sealer;

    /// <summary>Creates the store; nothing is sent to the TPM until a method needs it.</summary>
    /// <exception cref="GatewayKeyStoreException">The options are invalid.</exception>
    public TpmKeyStore(TpmKeyStoreOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        _options = options;
        _connection = new TpmConnection(options.Tcti);
        _sealer = options.SealedSecretsDirectory is null ? null : new TpmSecretSealer(options.Tcti, options.SealedSecretsDirectory);
    }

    /// <inheritdoc />
    public string Backend => "tpm";

    /// <inheritdoc />
    public bool IsHardwareBacked => true;

    /// <summary>The TCTI this store talks through.</summary>
    public string Tcti => _options.Tcti;

    /// <inheritdoc />
    public ISecretSealer Sealer => _sealer ??
        throw new GatewayKeyStoreException("no directory for sealed secrets is configured (TpmKeyStoreOptions.SealedSecretsDirectory)");

    /// <summary>
    /// The OpenSSL tpm2 provider's version and what it allows. Reading it loads the provider
    /// in this process, bound to this store's TCTI.
    /// </summary>
    public TpmProviderInfo Provider
    {
        get
        {
            TpmOpenSslProvider.Bind(_options.Tcti);
            return TpmOpenSslProvider.Info;
        }
    }

    /// <summary>True when TLS endpoints may use the TPM keys directly (tpm2-openssl 1.3.0 or newer).</summary>
    public bool SupportsTlsWithTpmKey => Provider.SupportsTlsWithTpmKey;

    /// <summary>The tamper latch (PCR 23) of this TPM.</summary>
    public TpmTamperLatch TamperLatch => new(_options.Tcti);

    /// <summary>The persistent handle of <paramref name="role"/>.</summary>
    public uint HandleOf(GatewayKeyRole role) => _options.HandleOf(role);

    /// <inheritdoc />
    public bool Exists(GatewayKeyRole role) => Describe(role) is not null;

    /// <summary>What the TPM holds at the handle of <paramref name="role"/>; null when the handle is free.</summary>
    /// <exception cref="GatewayKeyStoreException">The TPM is unreachable or holds an object we cannot read.</exception>
    public TpmKeyInfo? Describe(GatewayKeyRole role)
    {
        var handle = _options.HandleOf(role);
        return Run(role, "read", esys =>
        {
            var persistent = esys.TryOpenPersistent(handle);
            if (persistent is null)
            {
                return null;
            }

            try
            {
                return new TpmKeyInfo(role, handle, ParsePublic(role, handle, esys.ReadPublic(persistent.Value)));
            }
            finally
            {
                esys.Close(persistent.Value);
            }
        });
    }

    /// <inheritdoc />
    public void Create(GatewayKeyRole role)
    {
        var handle = _options.HandleOf(role);
        Run<object?>(role, "create", esys =>
        {
            if (esys.TryOpenPersistent(handle) is uint existing)
            {
                esys.Close(existing);
                throw AlreadyExists(role, handle);
            }

            var primary = esys.CreateStoragePrimary();
            try
            {
                var (publicWire, privateWire) = esys.Create(
                    primary, TpmTemplates.SensitiveCreate([]).ToArray(), TpmTemplates.SigningKey(), Tss2Esys.TrNone);
                var key = esys.Load(primary, privateWire, publicWire);
                try
                {
                    esys.MakePersistent(key, handle);
                }
                catch (TssException e) when (e.IsTpmError(TssException.TpmRcNvDefined))
                {
                    // Another process made a key there between our check and now.
                    throw AlreadyExists(role, handle);
                }
                finally
                {
                    TpmConnection.FlushQuietly(esys, key);
                }
            }
            finally
            {
                TpmConnection.FlushQuietly(esys, primary);
            }

            return null;
        });
    }

    /// <inheritdoc />
    public ECDsa Open(GatewayKeyRole role)
    {
        var handle = _options.HandleOf(role);
        var info = Describe(role) ?? throw new GatewayKeyStoreException(
            $"the {role} key does not exist at TPM handle 0x{handle:x8}; create it with `iotsec-gateway keys init`");
        if (!info.IsP256SigningKey)
        {
            throw NotOurKey(role, handle, info.Algorithm, info.Attributes);
        }

        var publicKey = ECDsa.Create();
        publicKey.ImportSubjectPublicKeyInfo(info.SubjectPublicKeyInfo, out _);
        try
        {
            TpmOpenSslProvider.Bind(_options.Tcti);
            var evpKey = TpmOpenSslProvider.OpenPersistentKey(handle);
            return new TpmProviderECDsa(evpKey, publicKey, $"the {role} key (TPM handle 0x{handle:x8})");
        }
        catch (CryptographicException e)
        {
            publicKey.Dispose();
            throw new GatewayKeyStoreException(
                $"the OpenSSL tpm2 provider could not open the {role} key at 0x{handle:x8}: {e.Message} " +
                $"(Debian package tpm2-openssl; {TpmOpenSslProvider.TctiVariable}={_options.Tcti}; {TpmOpenSslProvider.Info})", e);
        }
        catch
        {
            publicKey.Dispose();
            throw;
        }
    }

    /// <inheritdoc />
    public byte[] ExportSubjectPublicKeyInfo(GatewayKeyRole role)
    {
        var handle = _options.HandleOf(role);
        var info = Describe(role) ?? throw new GatewayKeyStoreException(
            $"the {role} key does not exist at TPM handle 0x{handle:x8}; create it with `iotsec-gateway keys init`");
        return info.IsP256SigningKey ? info.SubjectPublicKeyInfo : throw NotOurKey(role, handle, info.Algorithm, info.Attributes);
    }

    /// <summary>Nothing to release: each operation opens and closes its own TPM connection.</summary>
    public void Dispose()
    {
    }

    /// <summary>How an operator removes a key so that `keys init` can make a new one.</summary>
    public static string RemovalHint(uint handle) =>
        $"remove it first with `tpm2_evictcontrol -C o -c 0x{handle:x8}` (this destroys the key: certificates issued for it become useless)";

    private static GatewayKeyStoreException AlreadyExists(GatewayKeyRole role, uint handle) =>
        new($"the {role} key already exists at TPM handle 0x{handle:x8}; {RemovalHint(handle)}");

    private static GatewayKeyStoreException NotOurKey(GatewayKeyRole role, uint handle, string algorithm, TpmObjectAttributes attributes) =>
        new($"TPM handle 0x{handle:x8} ({role}) holds a {algorithm} object with attributes {attributes.ToToolsString()}, " +
            $"not an ECC P-256 signing key; configure another handle or {RemovalHint(handle)}");

    private static TpmPublicArea ParsePublic(GatewayKeyRole role, uint handle, byte[] wire)
    {
        try
        {
            return TpmPublicArea.Parse(wire);
        }
        catch (FormatException e)
        {
            throw new GatewayKeyStoreException($"TPM handle 0x{handle:x8} ({role}) holds an object this gateway cannot use: {e.Message}", e);
        }
    }

    private T Run<T>(GatewayKeyRole role, string what, Func<EsysContext, T> operation)
    {
        try
        {
            using var esys = _connection.Open();
            return operation(esys);
        }
        catch (TpmUnavailableException e)
        {
            throw new GatewayKeyStoreException($"cannot {what} the {role} key: {e.Message}", e);
        }
        catch (TssException e)
        {
            throw new GatewayKeyStoreException($"cannot {what} the {role} key at TPM handle 0x{_options.HandleOf(role):x8}: {e.Message}", e);
        }
    }
}
