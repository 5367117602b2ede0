using System;
using System.Diagnostics;
using System.IO;
using System.Runtime.Versioning;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Tpm;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tpm;

/// <summary>`iotsec-gateway keys init|show`, in-process on the shared software TPM and as a real child process on a fresh one.</summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class KeysCommandTests
{
    [TestMethod]
    public void InitCreatesBothKeysAndShowDescribesThem()
    {
        SoftwareTpm.RequireOpenSslProvider();
        var tpm = SoftwareTpm.Shared;
        var identity = tpm.NewPersistentHandle();
        var deviceCa = tpm.NewPersistentHandle();
        string[] target = ["--tcti", tpm.Tcti, "--identity-handle", $"0x{identity:x8}", "--device-ca-handle", $"0x{deviceCa:x8}"];

        var init = Invoke(["keys", "init", .. target]);

        Assert.AreEqual(0, init.ExitCode, init.Error);
        StringAssert.Contains(init.Output, $"created Identity key at TPM handle 0x{identity:x8}");
        StringAssert.Contains(init.Output, $"created DeviceCa key at TPM handle 0x{deviceCa:x8}");
        var persistent = tpm.Run("tpm2_getcap", "handles-persistent").EnsureSuccess().StandardOutput;
        StringAssert.Contains(persistent, $"0x{identity:x8}", StringComparison.OrdinalIgnoreCase);
        StringAssert.Contains(persistent, $"0x{deviceCa:x8}", StringComparison.OrdinalIgnoreCase);

        var show = Invoke(["keys", "show", .. target]);

        Assert.AreEqual(0, show.ExitCode, show.Error);
        using var store = new TpmKeyStore(new TpmKeyStoreOptions { Tcti = tpm.Tcti, IdentityHandle = identity, DeviceCaHandle = deviceCa });
        StringAssert.Contains(show.Output, "backend:      tpm");
        StringAssert.Contains(show.Output, "tpm2-openssl " + store.Provider.VersionText);
        StringAssert.Contains(show.Output, "tamper latch: PCR 23");
        StringAssert.Contains(show.Output, "fixedtpm|fixedparent|sensitivedataorigin|userwithauth|sign");
        StringAssert.Contains(show.Output, store.Describe(GatewayKeyRole.Identity)!.Fingerprint);
        StringAssert.Contains(show.Output, store.Describe(GatewayKeyRole.DeviceCa)!.Fingerprint);
    }

    [TestMethod]
    public void InitRefusesWhenAKeyExistsAndSaysHowToRemoveIt()
    {
        SoftwareTpm.RequireOpenSslProvider();
        var tpm = SoftwareTpm.Shared;
        var identity = tpm.NewPersistentHandle();
        var deviceCa = tpm.NewPersistentHandle();
        using var store = new TpmKeyStore(new TpmKeyStoreOptions { Tcti = tpm.Tcti, IdentityHandle = identity, DeviceCaHandle = deviceCa });
        store.Create(GatewayKeyRole.Identity);

        var init = Invoke(["keys", "init", "--tcti", tpm.Tcti, "--identity-handle", $"0x{identity:x8}", "--device-ca-handle", $"0x{deviceCa:x8}"]);

        Assert.AreEqual(1, init.ExitCode);
        StringAssert.Contains(init.Error, "refusing");
        StringAssert.Contains(init.Error, $"tpm2_evictcontrol -C o -c 0x{identity:x8}");
        Assert.DoesNotContain("   at ", init.Error, "a stack trace reached the user");
        Assert.IsFalse(store.Exists(GatewayKeyRole.DeviceCa), "init created a key although it refused");
    }

    [TestMethod]
    public void ShowListsAbsentKeys()
    {
        SoftwareTpm.RequireOpenSslProvider();
        var tpm = SoftwareTpm.Shared;

        var show = Invoke(["keys", "show", "--tcti", tpm.Tcti,
            "--identity-handle", $"0x{tpm.NewPersistentHandle():x8}", "--device-ca-handle", $"0x{tpm.NewPersistentHandle():x8}"]);

        Assert.AreEqual(0, show.ExitCode, show.Error);
        StringAssert.Contains(show.Output, "absent: create it with `iotsec-gateway keys init`");
    }

    [TestMethod]
    public void AnUnreachableTpmIsOneClearLine()
    {
        var init = Invoke(["keys", "init", "--tcti", SoftwareTpm.DirectTcti(1)]);

        Assert.AreEqual(1, init.ExitCode);
        StringAssert.StartsWith(init.Error, "error: ");
        StringAssert.Contains(init.Error, "cannot reach the TPM through TCTI");
        Assert.DoesNotContain("   at ", init.Error);
    }

    [TestMethod]
    public void BadOptionsAreUsageErrors()
    {
        var badHandle = Invoke(["keys", "init", "--identity-handle", "0xnope"]);
        Assert.AreNotEqual(0, badHandle.ExitCode);
        StringAssert.Contains(badHandle.Error, "0xnope");

        var outOfRange = Invoke(["keys", "show", "--identity-handle", "0x01000001"]);
        Assert.AreEqual(1, outOfRange.ExitCode);
        StringAssert.Contains(outOfRange.Error, "not an owner persistent handle");

        var badBackend = Invoke(["keys", "init", "--backend", "hsm"]);
        Assert.AreNotEqual(0, badBackend.ExitCode);
    }

    [TestMethod]
    public void TheSoftwareBackendCreatesNothingHere()
    {
        var init = Invoke(["keys", "init", "--backend", "software"]);

        Assert.AreEqual(0, init.ExitCode, init.Error);
        StringAssert.Contains(init.Output, "first `iotsec-gateway run`");
    }

    [TestMethod]
    public void TheRealCommandCreatesKeysAtTheDefaultHandlesOfAFreshTpm()
    {
        SoftwareTpm.RequireOpenSslProvider();
        using var tpm = SoftwareTpm.Start();
        var gateway = typeof(GatewayCommandLine).Assembly.Location;
        if (!File.Exists(Path.ChangeExtension(gateway, ".runtimeconfig.json")))
        {
            Assert.Inconclusive("iotsec-gateway.runtimeconfig.json is not next to " + gateway);
        }

        var init = RunGateway(tpm, gateway, "keys", "init", "--tcti", tpm.Tcti);
        Assert.AreEqual(0, init.ExitCode, init.StandardOutput + init.StandardError);

        var persistent = tpm.Run("tpm2_getcap", "handles-persistent").EnsureSuccess().StandardOutput;
        StringAssert.Contains(persistent, "0x81000001", StringComparison.OrdinalIgnoreCase);
        StringAssert.Contains(persistent, "0x81000002", StringComparison.OrdinalIgnoreCase);
        var again = RunGateway(tpm, gateway, "keys", "init", "--tcti", tpm.Tcti);
        Assert.AreEqual(1, again.ExitCode);
        StringAssert.Contains(again.StandardError, "tpm2_evictcontrol -C o -c 0x81000001");
        var show = RunGateway(tpm, gateway, "keys", "show", "--tcti", tpm.Tcti);
        Assert.AreEqual(0, show.ExitCode, show.StandardError);
        StringAssert.Contains(show.StandardOutput, "Identity key at 0x81000001");
        StringAssert.Contains(show.StandardOutput, "tpm2-openssl ");
    }

    internal static (int ExitCode, string Output, string Error) Invoke(string[] arguments)
    {
        using var output = new StringWriter();
        using var error = new StringWriter();
        var exitCode = GatewayCommandLine.Build().Parse(arguments).Invoke(new System.CommandLine.InvocationConfiguration
        {
            Output = output,
            Error = error,
        });
        return (exitCode, output.ToString(), error.ToString());
    }

    private static SoftwareTpmToolResult RunGateway(SoftwareTpm tpm, string gatewayDll, params string[] arguments)
    {
        var dotnet = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        return tpm.Run(dotnet, [gatewayDll, .. arguments]);
    }
}
