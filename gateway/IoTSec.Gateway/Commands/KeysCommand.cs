using System;
using System.Collections.Generic;
using System.CommandLine;
using System.IO;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Tpm;

namespace IoTSec.Gateway.Commands;

/// <summary>
/// <c>iotsec-gateway keys init|show|csr|install</c>: creates and describes the gateway's long-lived keys
/// (identity and device-issuing CA). With the TPM backend they are persistent TPM objects
/// (ADR 0005); the software backend makes its key files at the daemon's first run.
/// </summary>
internal static class KeysCommand
{
    private static readonly GatewayKeyRole[] Roles = [GatewayKeyRole.Identity, GatewayKeyRole.DeviceCa];

    public static Command Create()
    {
        var keys = new Command("keys", "Create and inspect the gateway's long-lived keys (identity, device-issuing CA); install the CA ceremony's output.");
        var store = KeyStoreArguments.AddTo(keys, recursive: true);
        var backend = store.Backend;
        TpmKeyStoreOptions StoreOptions(ParseResult parse) => store.TpmOptions(parse);

        var init = new Command("init", "Create the identity and device-issuing CA keys; refuses when either exists.");
        init.SetAction(parse => Guarded(parse, () => parse.GetValue(backend) == "software"
            ? SoftwareBackend(parse, "init")
            : Init(parse, StoreOptions(parse))));
        keys.Subcommands.Add(init);

        var show = new Command("show", "Show the backend, key handles, public-key fingerprints, attributes and the provider version.");
        show.SetAction(parse => Guarded(parse, () => parse.GetValue(backend) == "software"
            ? SoftwareBackend(parse, "show")
            : Show(parse, StoreOptions(parse))));
        keys.Subcommands.Add(show);

        // The gateway half of the CA ceremony (docs/operations.md): a PKCS#10 request signed
        // by the device-issuing CA key inside the TPM, for `iotsec ca sign` on the offline root.
        var csrOut = new Option<string>("--out") { Description = "Where to write the CSR (PEM)", Required = true };
        var csrName = new Option<string>("--gateway-name")
        {
            Description = "This gateway's name, used in the intermediate's subject",
            DefaultValueFactory = _ => Environment.MachineName,
        };
        var csr = new Command("csr", "Write a certificate signing request for this gateway's intermediate, signed by the TPM CA key.");
        csr.Options.Add(csrOut);
        csr.Options.Add(csrName);
        csr.SetAction(parse => Guarded(parse, () => parse.GetValue(backend) == "software"
            ? Fail(parse, "keys csr needs the TPM backend; a development gateway makes its own development PKI at the first run")
            : WriteSigningRequest(parse, StoreOptions(parse), parse.GetValue(csrName)!, parse.GetValue(csrOut)!)));
        keys.Subcommands.Add(csr);
        keys.Subcommands.Add(KeysInstallVerb.Create(store));
        return keys;
    }

    private static int Init(ParseResult parse, TpmKeyStoreOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Fail(parse, "the TPM backend needs Linux (tpm2-tss and the OpenSSL tpm2 provider)");
        }

        var output = parse.InvocationConfiguration.Output;
        using var store = new TpmKeyStore(options);
        var present = new List<string>();
        foreach (var role in Roles)
        {
            if (store.Describe(role) is not null)
            {
                var handle = store.HandleOf(role);
                present.Add($"  {role} at 0x{handle:x8}: {TpmKeyStore.RemovalHint(handle)}");
            }
        }

        if (present.Count > 0)
        {
            return Fail(parse,
                "refusing to create keys: the TPM already holds" + Environment.NewLine + string.Join(Environment.NewLine, present) +
                Environment.NewLine + "(or configure other handles with --identity-handle / --device-ca-handle)");
        }

        foreach (var role in Roles)
        {
            store.Create(role);
            var info = store.Describe(role) ?? throw new GatewayKeyStoreException($"the {role} key vanished right after it was created");
            output.WriteLine($"created {role} key at TPM handle 0x{info.Handle:x8} ({info.Algorithm}), SPKI SHA-256 {info.Fingerprint}");
        }

        output.WriteLine("the private keys were generated inside the TPM and cannot leave it");
        return 0;
    }

    private static int Show(ParseResult parse, TpmKeyStoreOptions options)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Fail(parse, "the TPM backend needs Linux (tpm2-tss and the OpenSSL tpm2 provider)");
        }

        var output = parse.InvocationConfiguration.Output;
        using var store = new TpmKeyStore(options);
        output.WriteLine($"backend:      tpm (TCTI {store.Tcti})");
        var infos = new List<TpmKeyInfo?>();
        foreach (var role in Roles)
        {
            infos.Add(store.Describe(role));
        }

        output.WriteLine($"provider:     {store.Provider}");
        output.WriteLine($"tamper latch: PCR {TpmTamperLatch.Pcr} " +
            (store.TamperLatch.IsSet ? "SET: sealed secrets stay sealed until the gateway is re-armed" : "clear"));
        for (var i = 0; i < Roles.Length; i++)
        {
            var handle = store.HandleOf(Roles[i]);
            var info = infos[i];
            output.WriteLine();
            output.WriteLine($"{Roles[i]} key at 0x{handle:x8}");
            if (info is null)
            {
                output.WriteLine("  absent: create it with `iotsec-gateway keys init`");
                continue;
            }

            output.WriteLine($"  algorithm:   {info.Algorithm}");
            output.WriteLine($"  attributes:  {info.Attributes.ToToolsString()}");
            output.WriteLine(info.IsP256SigningKey
                ? $"  SPKI SHA-256 {info.Fingerprint}"
                : "  NOT a gateway key (not an ECC P-256 signing key): configure another handle");
        }

        return 0;
    }

    private static int WriteSigningRequest(ParseResult parse, TpmKeyStoreOptions options, string gatewayName, string outPath)
    {
        if (!OperatingSystem.IsLinux())
        {
            return Fail(parse, "the TPM backend needs Linux (tpm2-tss and the OpenSSL tpm2 provider)");
        }

        if (File.Exists(outPath))
        {
            return Fail(parse, $"refusing to overwrite {outPath}");
        }

        using var store = new TpmKeyStore(options);
        if (!store.Exists(GatewayKeyRole.DeviceCa))
        {
            return Fail(parse, "the device-issuing CA key does not exist: create it with `iotsec-gateway keys init`");
        }

        var pem = GatewayIntermediateRequest.CreatePem(store, GatewayIntermediateRequest.DefaultSubject(gatewayName));
        File.WriteAllText(outPath, pem);
        var info = store.Describe(GatewayKeyRole.DeviceCa)!;
        var output = parse.InvocationConfiguration.Output;
        output.WriteLine($"wrote {outPath}: CSR for the gateway intermediate of '{gatewayName}', key SPKI SHA-256 {info.Fingerprint}");
        output.WriteLine("next: on the offline ceremony machine, `iotsec ca sign --ca DIR --csr " + Path.GetFileName(outPath) + " --out intermediate.pem`");
        return 0;
    }

    // TODO(integration): when the software key store (IoTSec.Gateway.Core/Keys/Software*)
    // lands, `keys show --backend software` can describe its files here.
    private static int SoftwareBackend(ParseResult parse, string verb)
    {
        var output = parse.InvocationConfiguration.Output;
        output.WriteLine(verb == "init"
            ? "software backend: nothing to do here; the key files are created in the data directory at the first `iotsec-gateway run` (development only: the keys are not hardware-protected)"
            : "backend: software (key files in the data directory, created at the first `iotsec-gateway run`; development only)");
        return 0;
    }

    // User errors and an unreachable TPM are reported as one clear line, not a stack trace.
    private static int Guarded(ParseResult parse, Func<int> action)
    {
        try
        {
            return action();
        }
        catch (GatewayKeyStoreException e)
        {
            return Fail(parse, e.Message);
        }
        catch (SecretSealedException e)
        {
            return Fail(parse, e.Message);
        }
    }

    private static int Fail(ParseResult parse, string message)
    {
        parse.InvocationConfiguration.Error.WriteLine("error: " + message);
        return 1;
    }
}
