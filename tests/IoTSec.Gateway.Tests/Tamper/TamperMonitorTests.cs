using System;
using System.Device.Gpio;
using System.IO;
using System.Linq;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Tamper;
using IoTSec.Gateway.Hardware;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tamper;

/// <summary>The tamper switch with the software backend: alert, latch, persisted flag, debounce, LED, restart.</summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class TamperMonitorTests
{
    [TestMethod]
    public async Task AClosedLidArmsTheGatewayAndLightsTheLedSteadily()
    {
        await using var rig = TamperRig.CreateSoftware();

        await rig.StartAsync();

        Assert.AreEqual(TamperPhase.Armed, rig.State.Phase);
        Assert.IsFalse(rig.State.IssuanceStopped);
        Assert.IsTrue(rig.SecretAvailable());
        Assert.AreEqual(PinValue.High, rig.Driver.Level(TamperRig.LedLine));
        var transitions = rig.Driver.Transitions(TamperRig.LedLine);
        rig.Time.Advance(TimeSpan.FromSeconds(3));
        Assert.AreEqual(transitions, rig.Driver.Transitions(TamperRig.LedLine), "the armed LED blinks");
        Assert.IsEmpty(rig.Alerts.Alerts);
        Assert.IsTrue(rig.Link.ReadPublished()!.LidClosed);
    }

    [TestMethod]
    public async Task OpeningTheLidRaisesOneCriticalAlertLatchesPersistsAndWipesTheSecret()
    {
        await using var rig = TamperRig.CreateSoftware();
        await rig.StartAsync();
        Assert.IsTrue(rig.SecretAvailable());

        rig.OpenLid();
        rig.AfterDebounce();

        var alert = rig.Alerts.Alerts.Single();
        Assert.AreEqual("gateway.tamper", alert.Code);
        Assert.AreEqual("gateway", alert.Subject);
        Assert.AreEqual(AlertSeverity.Critical, alert.Severity);
        Assert.AreEqual(TamperPhase.Tampered, rig.State.Phase);
        Assert.IsTrue(rig.State.IssuanceStopped);
        Assert.IsTrue(rig.Flag.Exists, "the tamper flag was not persisted");
        Assert.AreEqual(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(rig.Flag.Path));
        Assert.IsTrue(((SoftwareSecretSealer)rig.Sealer).IsTampered, "the software latch is not set");
        Assert.ThrowsExactly<SecretSealedException>(() => rig.Sealer.Unseal(HeartbeatSecret.SealedName));
        Assert.IsFalse(rig.SecretAvailable(), "the heartbeat secret stayed in memory");
        var tamper = rig.Audit.List(kind: nameof(AuditEventKind.Tamper));
        Assert.HasCount(1, tamper);
        Assert.AreEqual("gateway", tamper[0].Subject);

        // Fast blink while tampered (100 ms half period): 10 changes a second.
        var before = rig.Driver.Transitions(TamperRig.LedLine);
        rig.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.IsGreaterThanOrEqualTo(before + 9, rig.Driver.Transitions(TamperRig.LedLine));
        Assert.IsFalse(rig.Link.ReadPublished()!.LidClosed);
    }

    [TestMethod]
    public async Task ABouncingSwitchThatEndsOpenRaisesOneAlertNotMany()
    {
        await using var rig = TamperRig.CreateSoftware();
        await rig.StartAsync();

        // Contact bounce: 20 edges within a few microseconds, ending open.
        for (var i = 0; i < 10; i++)
        {
            rig.OpenLid();
            rig.CloseLid();
        }

        rig.OpenLid();
        rig.AfterDebounce();
        for (var i = 0; i < 5; i++)
        {
            rig.CloseLid();
            rig.OpenLid();
            rig.AfterDebounce();
        }

        Assert.HasCount(1, rig.Alerts.Alerts);
        Assert.HasCount(1, rig.Audit.List(kind: nameof(AuditEventKind.Tamper)));
    }

    [TestMethod]
    public async Task AGlitchShorterThanTheDebounceTimeRaisesNoAlert()
    {
        await using var rig = TamperRig.CreateSoftware();
        await rig.StartAsync();

        rig.OpenLid();
        rig.Time.Advance(TimeSpan.FromMilliseconds(10));
        rig.CloseLid();
        rig.AfterDebounce();
        rig.Monitor!.Poll();

        Assert.IsEmpty(rig.Alerts.Alerts);
        Assert.AreEqual(TamperPhase.Armed, rig.State.Phase);
        Assert.IsFalse(rig.Flag.Exists);
    }

    [TestMethod]
    public async Task AMissedEdgeIsCaughtByThePeriodicRead()
    {
        await using var rig = TamperRig.CreateSoftware();
        await rig.StartAsync();

        // The line goes high without an edge reaching the monitor (a lost interrupt).
        rig.Driver.DriveSilently(TamperRig.SwitchLine, null);
        rig.Monitor!.Poll();

        Assert.HasCount(1, rig.Alerts.Alerts);
        Assert.AreEqual(TamperPhase.Tampered, rig.State.Phase);
    }

    [TestMethod]
    public async Task AGatewayThatBootsWithTheLidOpenIsTampered()
    {
        await using var rig = TamperRig.CreateSoftware();
        rig.OpenLid();

        await rig.StartAsync();

        Assert.AreEqual(TamperPhase.Tampered, rig.State.Phase);
        StringAssert.Contains(rig.Alerts.Alerts.Single().Detail, "open when the gateway started");
        Assert.IsTrue(rig.Flag.Exists);
    }

    [TestMethod]
    public async Task ARestartWithThePersistedFlagStaysTamperedWithTheLidClosedAndRaisesNoSecondAlert()
    {
        await using var rig = TamperRig.CreateSoftware();
        await rig.StartAsync();
        rig.OpenLid();
        rig.AfterDebounce();
        rig.CloseLid();

        // The software latch file stands in for PCR 23; remove it as a reboot resets the PCR.
        ((SoftwareSecretSealer)rig.Sealer).Rearm();
        await rig.RestartAsync();

        Assert.AreEqual(TamperPhase.Tampered, rig.State.Phase);
        Assert.IsTrue(((SoftwareSecretSealer)rig.Sealer).IsTampered, "the latch was not set again at start");
        Assert.IsFalse(rig.SecretAvailable());
        Assert.IsEmpty(rig.Alerts.Alerts);
    }

    [TestMethod]
    public async Task ADamagedFlagCountsAsTampered()
    {
        await using var rig = TamperRig.CreateSoftware();
        File.WriteAllText(rig.Flag.Path, "{\"version\":1,\"since\":\"yesterday\"}");

        await rig.StartAsync();

        Assert.AreEqual(TamperPhase.Tampered, rig.State.Phase);
        StringAssert.Contains(rig.State.IssuanceRefusal, "tamper flag damaged");
    }

    [TestMethod]
    public async Task WithTheSwitchDisabledAPersistedFlagStillLatchesAndNoLineIsOpened()
    {
        await using var rig = TamperRig.CreateSoftware();
        rig.Settings.Enabled = false;
        rig.Flag.Write(new TamperFlag(DateTimeOffset.UtcNow, "the enclosure was opened"));

        await rig.StartAsync();

        Assert.AreEqual(TamperPhase.Tampered, rig.State.Phase);
        Assert.IsTrue(((SoftwareSecretSealer)rig.Sealer).IsTampered);
        Assert.AreEqual(0, rig.Driver.Transitions(TamperRig.LedLine), "the LED line was driven");
        var reading = rig.Link.ReadPublished()!;
        Assert.IsNull(reading.LidClosed);
        Assert.AreEqual("tampered", reading.Phase);
    }
}
