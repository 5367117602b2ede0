using System;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Tamper;
using IoTSec.Gateway.Tpm;
using IoTSec.Testing;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tamper;

/// <summary>
/// The tamper latch on the real software TPM: PCR 23 extended on opening (read back with
/// tpm2_pcrread), the sealed heartbeat secret refused, the latch set again after a TPM restart
/// while the persisted flag says so, and released by a re-arm. A TPM of this class's own: PCR 23
/// is state of the whole TPM.
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
[DoNotParallelize]
public sealed class TamperTpmTests
{
    private const string ResetValue = "0x0000000000000000000000000000000000000000000000000000000000000000";
    private static SoftwareTpm? _tpm;

    private static SoftwareTpm Tpm => _tpm ??= SoftwareTpm.Start(withResourceManager: false);

    public TestContext TestContext { get; set; } = null!;

    [ClassCleanup]
    public static void StopTpm() => _tpm?.Dispose();

    [TestInitialize]
    public void ClearLatch() => new TpmTamperLatch(Tpm.Tcti).Reset();

    [TestMethod]
    public async Task OpeningExtendsPcr23AndTheHeartbeatSecretNoLongerUnseals()
    {
        await using var rig = TpmRig();
        await rig.StartAsync();
        Assert.IsTrue(rig.SecretAvailable());
        Assert.Contains(ResetValue, Pcr23());

        rig.OpenLid();
        var response = Stopwatch.StartNew();
        rig.AfterDebounce(); // runs the whole response on this thread (fake clock)
        response.Stop();

        // The figure for the report: flag fsync, PCR extend, secret wipe, alert, audit entry.
        TestContext.WriteLine($"tamper response after the debounce: {response.Elapsed.TotalMilliseconds:0.0} ms (software TPM)");
        Assert.DoesNotContain(ResetValue, Pcr23(), "tpm2_pcrread shows PCR 23 unchanged");
        Assert.IsFalse(rig.SecretAvailable());
        var error = Assert.ThrowsExactly<SecretSealedException>(() => rig.Sealer.Unseal(HeartbeatSecret.SealedName));
        StringAssert.Contains(error.Message, "PCR 23");
        Assert.AreEqual(TamperPhase.Tampered, rig.State.Phase);
    }

    [TestMethod]
    public async Task AfterATpmRestartThePersistedFlagExtendsPcr23AgainBeforeTheSecretUnseals()
    {
        await using var rig = TpmRig();
        await rig.StartAsync();
        rig.OpenLid();
        rig.AfterDebounce();
        rig.CloseLid();
        await rig.StopAsync();

        PowerCycleTpm();
        Assert.Contains(ResetValue, Pcr23(), "the TPM restart did not reset PCR 23");

        await rig.StartAsync();

        Assert.DoesNotContain(ResetValue, Pcr23(), "the restarted gateway did not extend PCR 23 again");
        Assert.IsFalse(rig.SecretAvailable(), "the heartbeat secret unsealed after the reboot");
        Assert.AreEqual(TamperPhase.Tampered, rig.State.Phase);
        Assert.IsTrue(rig.State.IssuanceStopped);
    }

    [TestMethod]
    public async Task RearmWithTheLidClosedRestoresUnsealWithoutARestart()
    {
        await using var rig = TpmRig();
        await rig.StartAsync();
        rig.OpenLid();
        rig.AfterDebounce();
        rig.CloseLid();
        rig.AfterDebounce();
        Assert.IsTrue(rig.Link.ReadPublished()!.LidClosed);

        var result = Inventory.GatewayCli.Run(rig.Directory, "tamper", "rearm",
            "--IoTSec:Tamper:Enabled=true", "--IoTSec:KeyStore:Backend=tpm", "--IoTSec:KeyStore:Tcti=" + Tpm.Tcti);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        Assert.Contains(ResetValue, Pcr23(), "rearm did not reset PCR 23");
        Assert.IsFalse(rig.Flag.Exists);
        rig.Monitor!.Poll();
        Assert.AreEqual(TamperPhase.Armed, rig.State.Phase);
        Assert.IsTrue(rig.SecretAvailable(), "the heartbeat secret does not unseal after the re-arm");
        Assert.HasCount(1, rig.Audit.List(kind: "Rearm"));
    }

    private static TamperRig TpmRig() => TamperRig.Create(data => new TpmSecretSealer(Tpm.Tcti, Path.Combine(data.Root, "sealed")));

    private static string Pcr23() => Tpm.Run("tpm2_pcrread", "sha256:23").EnsureSuccess().StandardOutput;

    // A reboot as the TPM sees it: TPM2_Init (swtpm's control channel), then TPM2_Startup(CLEAR).
    // Persistent state (the storage hierarchy, so the sealed blob) survives; PCRs reset.
    private static void PowerCycleTpm()
    {
        var control = string.Create(CultureInfo.InvariantCulture, $"127.0.0.1:{Tpm.Port + 1}");
        Tpm.Run("swtpm_ioctl", "--tcp", control, "-i").EnsureSuccess();
        Tpm.Run("tpm2_startup", "-c").EnsureSuccess();
    }
}
