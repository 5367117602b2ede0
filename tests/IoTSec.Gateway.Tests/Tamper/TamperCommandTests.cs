using System.Collections.Generic;
using System.Device.Gpio;
using System.Runtime.Versioning;
using System.Threading.Tasks;
using Iot.Device.Gpio;
using IoTSec.Gateway.Commands;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Tamper;
using IoTSec.Gateway.Hardware;
using IoTSec.Gateway.Tests.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tamper;

/// <summary>
/// <c>iotsec-gateway tamper status|rearm</c> with the software backend: against the running
/// monitor (which holds the lines and publishes the switch) and with no daemon (the command
/// reads the switch itself).
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
[DoNotParallelize]
public sealed class TamperCommandTests
{
    private static readonly string[] Enabled = ["--IoTSec:Tamper:Enabled=true"];

    [TestMethod]
    public async Task StatusShowsTheOpenEnclosureTheFlagAndStoppedIssuance()
    {
        await using var rig = TamperRig.CreateSoftware();
        await rig.StartAsync();
        rig.OpenLid();
        rig.AfterDebounce();

        var status = GatewayCli.Run(rig.Directory, ["tamper", "status", .. Enabled]);

        Assert.AreEqual(0, status.ExitCode, status.ToString());
        StringAssert.Contains(status.Output, "enclosure:  OPEN");
        StringAssert.Contains(status.Output, "TAMPERED since");
        StringAssert.Contains(status.Output, "latch:      set (software latch file)");
        StringAssert.Contains(status.Output, "issuance:   stopped");
    }

    [TestMethod]
    public async Task RearmWithTheLidOpenIsRefusedAndChangesNothing()
    {
        await using var rig = TamperRig.CreateSoftware();
        await rig.StartAsync();
        rig.OpenLid();
        rig.AfterDebounce();

        var result = GatewayCli.Run(rig.Directory, ["tamper", "rearm", .. Enabled]);

        Assert.AreEqual(1, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Error, "refusing to re-arm: the enclosure is open now");
        Assert.IsTrue(rig.Flag.Exists);
        Assert.IsTrue(((SoftwareSecretSealer)rig.Sealer).IsTampered);
        Assert.IsEmpty(rig.Audit.List(kind: nameof(AuditEventKind.Rearm)));
        rig.Monitor!.Poll();
        Assert.AreEqual(TamperPhase.Tampered, rig.State.Phase);
    }

    [TestMethod]
    public async Task RearmWithTheLidClosedRestoresTheRunningGatewayWithoutARestart()
    {
        await using var rig = TamperRig.CreateSoftware();
        await rig.StartAsync();
        rig.OpenLid();
        rig.AfterDebounce();
        rig.CloseLid();
        rig.AfterDebounce();
        Assert.IsFalse(rig.SecretAvailable());

        var result = GatewayCli.Run(rig.Directory, ["tamper", "rearm", .. Enabled]);

        Assert.AreEqual(0, result.ExitCode, result.ToString());
        StringAssert.Contains(result.Output, "re-armed: cleared the tamper event");
        var rearm = rig.Audit.List(kind: nameof(AuditEventKind.Rearm));
        Assert.HasCount(1, rearm);
        StringAssert.StartsWith(rearm[0].Actor, "cli:");
        rig.Monitor!.Poll();
        Assert.AreEqual(TamperPhase.Armed, rig.State.Phase);
        Assert.IsTrue(rig.SecretAvailable(), "the heartbeat secret does not unseal again");
        Assert.AreEqual(PinValue.High, rig.Driver.Level(TamperRig.LedLine));

        // A new opening is a new episode: a second alert.
        rig.OpenLid();
        rig.AfterDebounce();
        Assert.HasCount(2, rig.Alerts.Alerts);
        Assert.AreEqual(TamperPhase.Tampered, rig.State.Phase);
    }

    [TestMethod]
    public async Task WithNoDaemonTheCommandReadsTheSwitchItself()
    {
        await using var rig = TamperRig.CreateSoftware();
        await rig.StartAsync();
        rig.OpenLid();
        rig.AfterDebounce();
        await rig.StopAsync();
        using var board = new GpioController(rig.Driver);
        var previous = TamperCommand.Gpio;
        TamperCommand.Gpio = new TamperGpio(_ => new VirtualGpioController(new Dictionary<int, GpioPin> { [TamperRig.SwitchLine] = board.OpenPin(TamperRig.SwitchLine) }));
        try
        {
            var refused = GatewayCli.Run(rig.Directory, ["tamper", "rearm", .. Enabled]);
            Assert.AreEqual(1, refused.ExitCode, refused.ToString());
            StringAssert.Contains(refused.Error, "read now from gpiochip0 line 17");

            rig.CloseLid();
            var rearmed = GatewayCli.Run(rig.Directory, ["tamper", "rearm", .. Enabled]);
            Assert.AreEqual(0, rearmed.ExitCode, rearmed.ToString());
            StringAssert.Contains(rearmed.Output, "no gateway daemon is running");
        }
        finally
        {
            TamperCommand.Gpio = previous;
        }

        await rig.StartAsync();
        Assert.AreEqual(TamperPhase.Armed, rig.State.Phase);
        Assert.IsTrue(rig.SecretAvailable());
    }
}
