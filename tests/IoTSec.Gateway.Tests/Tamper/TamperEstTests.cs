using System;
using System.Collections.Generic;
using System.Device.Gpio;
using System.IO;
using System.Linq;
using System.Net;
using System.Runtime.Versioning;
using System.Security.Cryptography;
using System.Threading.Tasks;
using Iot.Device.Gpio;
using IoTSec.Gateway.Core;
using IoTSec.Gateway.Core.Edge;
using IoTSec.Gateway.Core.Keys;
using IoTSec.Gateway.Core.Tamper;
using IoTSec.Gateway.Est;
using IoTSec.Gateway.Hardware;
using IoTSec.Gateway.Tests.Est;
using IoTSec.Gateway.Tests.Inventory;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Tamper;

/// <summary>
/// The tamper monitor in the EST host (AddTamperMonitor, as the daemon wires it): opening the
/// enclosure stops certificate issuance at once (503 issuance-stopped); `tamper rearm` with the
/// lid closed brings it back without a restart.
/// </summary>
[TestClass]
[SupportedOSPlatform("linux")]
public sealed class TamperEstTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task OpeningTheEnclosureStopsEnrolmentAndRearmWithTheLidClosedRestoresIt()
    {
        var driver = new SimulatedGpioDriver();
        driver.Drive(TamperRig.SwitchLine, PinValue.Low);
        using var board = new GpioController(driver);
        var alerts = new RecordingAlertSink();
        var gpio = new TamperGpio(_ => new VirtualGpioController(new Dictionary<int, GpioPin>
        {
            [TamperRig.SwitchLine] = board.OpenPin(TamperRig.SwitchLine),
            [TamperRig.LedLine] = board.OpenPin(TamperRig.LedLine),
        }));
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Enabled"] = "true",
            ["TamperPin"] = "17",
            ["LedPin"] = "27",
            ["Debounce"] = "00:00:00.020",
            ["PollInterval"] = "00:00:00.100",
        }).Build();

        await using var gateway = await EstTestGateway.StartAsync(services: (services, directory) =>
        {
            services.AddSingleton(new GatewayDataDirectory(directory));
            services.AddSingleton<ISecretSealer>(new SoftwareSecretSealer(Path.Combine(directory, "keys")));
            services.AddSingleton<IAlertSink>(alerts);
            services.AddTamperMonitor(settings, gpio);
        });
        var state = gateway.Get<TamperState>();
        Assert.AreEqual(TamperPhase.Armed, state.Phase);
        var births = gateway.Register("dev-before", "dev-after");
        using (await gateway.EnrolAsync("dev-before", births["dev-before"]))
        {
        }

        driver.Drive(TamperRig.SwitchLine, null);
        TamperWait.Until(() => state.Phase == TamperPhase.Tampered, "the opened lid is noticed");
        // The monitor trips first and then publishes its reading for the CLI (issuance must stop
        // without waiting on a file write): wait for that reading before asking the CLI.
        TamperWait.Until(() => gateway.Get<TamperDaemonLink>().ReadPublished() is { LidClosed: false }, "the daemon publishes the open lid");

        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using (var client = gateway.Client(births["dev-after"]))
        using (var refused = await client.PostAsync(EstProtocol.SimpleEnrollPath, EstTestGateway.CsrContent(EstTestGateway.Csr("dev-after", key)), TestContext.CancellationToken))
        {
            await EstAssert.RefusedAsync(refused, HttpStatusCode.ServiceUnavailable, "issuance-stopped");
            Assert.IsNotNull(refused.Headers.RetryAfter, "503 without Retry-After");
        }

        Assert.AreEqual("gateway.tamper", alerts.Alerts.Single().Code);

        // Re-arm while the lid is still open: refused, issuance stays stopped.
        var open = GatewayCli.Run(gateway.Directory, "tamper", "rearm", "--IoTSec:Tamper:Enabled=true");
        Assert.AreEqual(1, open.ExitCode, open.ToString());
        StringAssert.Contains(open.Error, "open now");
        Assert.AreEqual(TamperPhase.Tampered, state.Phase);

        driver.Drive(TamperRig.SwitchLine, PinValue.Low);
        TamperWait.Until(() => gateway.Get<TamperDaemonLink>().ReadPublished() is { LidClosed: true }, "the daemon publishes the closed lid");
        var rearm = GatewayCli.Run(gateway.Directory, "tamper", "rearm", "--IoTSec:Tamper:Enabled=true");
        Assert.AreEqual(0, rearm.ExitCode, rearm.ToString());
        TamperWait.Until(() => state.Phase == TamperPhase.Armed, "the running gateway picks up the re-arm");

        using (await gateway.EnrolAsync("dev-after", births["dev-after"]))
        {
        }

        Assert.HasCount(1, alerts.Alerts, "the re-arm raised another alert");
    }
}
