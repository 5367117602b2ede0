using System;
using System.CommandLine;
using System.IO;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Backup;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Tpm;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// The key-store options of the verbs that use the gateway's keys outside the daemon (keys,
/// backup, restore): --backend, --tcti and the two handles, with the daemon's defaults, and
/// how to open the store and the installed hierarchy from them.
/// </summary>
internal sealed class KeyStoreArguments
{
    private KeyStoreArguments(bool recursive)
    {
        Backend = new Option<string>("--backend")
        {
            Description = "Key store backend: tpm (keys in the TPM, the default) or software (development only)",
            DefaultValueFactory = _ => "tpm",
            Recursive = recursive,
        };
        Backend.AcceptOnlyFromAmong("tpm", "software");
        Tcti = new Option<string>("--tcti")
        {
            Description = "tpm2-tss TCTI of the TPM (\"device:/dev/tpmrm0\"; \"tabrmd:bus_type=session\" for a software TPM behind tpm2-abrmd)",
            DefaultValueFactory = _ => TpmKeyStoreOptions.DefaultTcti,
            Recursive = recursive,
        };
        IdentityHandle = HandleOption("--identity-handle", "Persistent TPM handle of the identity key", TpmKeyStoreOptions.DefaultIdentityHandle, recursive);
        DeviceCaHandle = HandleOption("--device-ca-handle", "Persistent TPM handle of the device-issuing CA key", TpmKeyStoreOptions.DefaultDeviceCaHandle, recursive);
    }

    public Option<string> Backend { get; }

    public Option<string> Tcti { get; }

    public Option<uint?> IdentityHandle { get; }

    public Option<uint?> DeviceCaHandle { get; }

    /// <summary>New options added to <paramref name="command"/> (recursive for a verb group).</summary>
    public static KeyStoreArguments AddTo(Command command, bool recursive = false)
    {
        var arguments = new KeyStoreArguments(recursive);
        command.Options.Add(arguments.Backend);
        command.Options.Add(arguments.Tcti);
        command.Options.Add(arguments.IdentityHandle);
        command.Options.Add(arguments.DeviceCaHandle);
        return arguments;
    }

    public bool IsSoftware(ParseResult parse) => parse.GetValue(Backend) == "software";

    public TpmKeyStoreOptions TpmOptions(ParseResult parse, string? sealedDirectory = null) => new()
    {
        Tcti = parse.GetValue(Tcti)!,
        IdentityHandle = parse.GetValue(IdentityHandle) ?? TpmKeyStoreOptions.DefaultIdentityHandle,
        DeviceCaHandle = parse.GetValue(DeviceCaHandle) ?? TpmKeyStoreOptions.DefaultDeviceCaHandle,
        SealedSecretsDirectory = sealedDirectory,
    };

    /// <summary>The store as the daemon opens it for <paramref name="data"/> (sealed secrets in &lt;data&gt;/sealed, software keys in &lt;data&gt;/keys).</summary>
    public IGatewayKeyStore Open(ParseResult parse, GatewayDataDirectory data)
    {
        if (IsSoftware(parse))
        {
            return new SoftwareKeyStore(Path.Combine(data.Root, "keys"), allowSoftwareKeys: true);
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new GatewayKeyStoreException("the TPM backend needs Linux (tpm2-tss and the OpenSSL tpm2 provider)");
        }

        var store = new TpmKeyStore(TpmOptions(parse, Path.Combine(data.Root, "sealed")));
        if (!store.Exists(GatewayKeyRole.DeviceCa))
        {
            store.Dispose();
            throw new GatewayKeyStoreException($"the DeviceCa key is not in the TPM at 0x{store.HandleOf(GatewayKeyRole.DeviceCa):x8} (TCTI {store.Tcti}); create the keys with `iotsec-gateway keys init`");
        }

        return store;
    }

    /// <summary>
    /// The installed hierarchy (<c>&lt;data&gt;/pki</c>) when present, else the development PKI
    /// the daemon made (<c>&lt;data&gt;/dev-pki</c>).
    /// </summary>
    public static GatewayCertificateAuthority OpenAuthority(GatewayDataDirectory data, IGatewayKeyStore store)
    {
        var root = InstalledHierarchy.RootPath(data);
        if (File.Exists(root) || File.Exists(InstalledHierarchy.IntermediatePath(data)))
        {
            return GatewayCertificateAuthority.Load(root, InstalledHierarchy.IntermediatePath(data), store);
        }

        var development = Path.Combine(data.Root, "dev-pki");
        if (File.Exists(Path.Combine(development, DevelopmentPki.RootCertificateFile)))
        {
            return GatewayCertificateAuthority.Load(
                Path.Combine(development, DevelopmentPki.RootCertificateFile), Path.Combine(development, DevelopmentPki.IntermediateFile), store);
        }

        throw new GatewayPkiException($"no gateway intermediate is installed in '{Path.GetDirectoryName(root)}': install the CA ceremony's output with `iotsec-gateway keys install`");
    }

    /// <summary>The root that restore trusts: the installed one, else the development root.</summary>
    public static X509CertificateRoot TrustedRoot(GatewayDataDirectory data)
    {
        var installed = InstalledHierarchy.RootPath(data);
        if (File.Exists(installed))
        {
            return new X509CertificateRoot(PemCertificateFile.Load(installed), installed);
        }

        var development = Path.Combine(data.Root, "dev-pki", DevelopmentPki.RootCertificateFile);
        if (File.Exists(development))
        {
            return new X509CertificateRoot(PemCertificateFile.Load(development), development);
        }

        throw new GatewayPkiException($"no offline root is installed ('{installed}'): install it first with `iotsec-gateway keys install --root root.pem --intermediate intermediate.pem`");
    }

    /// <summary>
    /// <see cref="AdministrationVerb.Run"/> plus the refusals of the key, PKI and backup code:
    /// each becomes "error: …" and exit 1, never a stack trace.
    /// </summary>
    public static int Run(ParseResult parse, Func<int> body) => AdministrationVerb.Run(parse, () =>
    {
        try
        {
            return body();
        }
        catch (BackupRejectedException e)
        {
            return AdministrationVerb.Fail(parse, $"{e.Message} [{e.Reason}]");
        }
        catch (GatewayPkiException e)
        {
            return AdministrationVerb.Fail(parse, e.Message);
        }
        catch (GatewayKeyStoreException e)
        {
            return AdministrationVerb.Fail(parse, e.Message);
        }
        catch (SecretSealedException e)
        {
            return AdministrationVerb.Fail(parse, e.Message);
        }
        catch (System.Security.Cryptography.CryptographicException e)
        {
            return AdministrationVerb.Fail(parse, "cryptographic error: " + e.Message);
        }
    });

    // No DefaultValueFactory: help would print the default in decimal; the description gives it in hex.
    private static Option<uint?> HandleOption(string name, string description, uint defaultHandle, bool recursive) => new(name)
    {
        Description = $"{description} [default: 0x{defaultHandle:x8}]",
        HelpName = "handle",
        Recursive = recursive,
        CustomParser = result =>
        {
            var text = result.Tokens.Count == 1 ? result.Tokens[0].Value : string.Empty;
            try
            {
                return TpmKeyStoreOptions.ParseHandle(text);
            }
            catch (Exception e) when (e is FormatException or OverflowException)
            {
                result.AddError($"{name}: \"{text}\" is not a handle such as 0x81000001");
                return null;
            }
        },
    };
}

/// <summary>A trust anchor and the file it came from.</summary>
internal sealed record X509CertificateRoot(System.Security.Cryptography.X509Certificates.X509Certificate2 Certificate, string Path);
