using System;
using System.Collections.Generic;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Threading.Tasks;
using IoTSec.Gateway.Systemd;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Data.Sqlite;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Daemon;

/// <summary>
/// systemd's notify protocol against the real daemon process: the test plays the service
/// manager with a unix datagram socket in NOTIFY_SOCKET and a WATCHDOG_USEC, as systemd does
/// for a Type=notify unit with WatchdogSec=.
/// </summary>
[TestClass]
public sealed class SystemdNotifyProcessTests
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task ReadyOnlyWhenListeningThenWatchdogPingsThenStopping()
    {
        var data = TempDirectory.Create("iotsec-notify");
        try
        {
            using var notify = new NotifySocket(data);
            var estPort = GatewayProcess.FreePort();
            var metricsPort = GatewayProcess.FreePort();
            var environment = new Dictionary<string, string>
            {
                ["NOTIFY_SOCKET"] = notify.Path,
                ["WATCHDOG_USEC"] = "600000", // WatchdogSec=0.6: a ping every 300 ms
            };
            using var gateway = GatewayProcess.Start(environment, "--data-dir", data, "run", $"--IoTSec:Est:Port={estPort}", $"--IoTSec:Metrics:Port={metricsPort}");

            await notify.WaitForAsync("READY=1", StartTimeout, context: () => gateway.Output);
            // Ready means ready: both listeners accept at the moment READY=1 arrives.
            using (var est = new TcpClient())
            {
                await est.ConnectAsync(IPAddress.Loopback, estPort, TestContext.CancellationToken);
            }

            using (var http = new HttpClient())
            {
                using var metrics = await http.GetAsync($"http://127.0.0.1:{metricsPort}/metrics", TestContext.CancellationToken);
                Assert.AreEqual(HttpStatusCode.OK, metrics.StatusCode);
            }

            var ready = notify.Messages.Find(m => m.Message.Contains("READY=1", StringComparison.Ordinal)).Message;
            StringAssert.Contains(ready, $"STATUS=serving EST https://127.0.0.1:{estPort}, metrics http://127.0.0.1:{metricsPort}/metrics");
            Assert.IsFalse(notify.Messages.Exists(m => m.Message.Contains("WATCHDOG=1", StringComparison.Ordinal) && m.At < notify.Messages.Find(r => r.Message.Contains("READY=1", StringComparison.Ordinal)).At),
                "no watchdog ping before readiness");

            var third = await notify.WaitForAsync("WATCHDOG=1", TimeSpan.FromSeconds(10), count: 3, context: () => gateway.Output);
            var first = notify.Messages.Find(m => m.Message.Split('\n')[0] == "WATCHDOG=1").At;
            Assert.IsLessThan(TimeSpan.FromSeconds(3), third - first, "pings come well within the watchdog interval's multiples");

            Assert.AreEqual(0, await gateway.TerminateAsync(TimeSpan.FromSeconds(20)), gateway.Output);
            await notify.WaitForAsync("STOPPING=1", TimeSpan.FromSeconds(5), context: () => gateway.Output);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(data);
        }
    }

    [TestMethod]
    public async Task AnUnhealthyDaemonWithholdsWatchdogPingsUntilItRecovers()
    {
        var data = TempDirectory.Create("iotsec-notify");
        try
        {
            using var notify = new NotifySocket(data);
            var environment = new Dictionary<string, string> { ["NOTIFY_SOCKET"] = notify.Path, ["WATCHDOG_USEC"] = "400000" };
            var gatewayData = System.IO.Path.Combine(data, "gateway");
            using var gateway = GatewayProcess.Start(environment, "--data-dir", gatewayData, "run", "--IoTSec:Est:Port=0", "--IoTSec:Metrics:Port=0");
            await notify.WaitForAsync("WATCHDOG=1", StartTimeout, count: 2, context: () => gateway.Output);

            // The data directory disappears (a failed or remounted card): the inventory is gone.
            var moved = gatewayData + ".moved";
            System.IO.Directory.Move(gatewayData, moved);
            var unhealthyAt = await notify.WaitForAsync("STATUS=unhealthy: data directory: " + System.IO.Path.Combine(gatewayData, "inventory.db") + " is gone", TimeSpan.FromSeconds(10), context: () => gateway.Output);
            var pingsBefore = notify.Messages.FindAll(m => m.Message == "WATCHDOG=1").Count;
            await Task.Delay(TimeSpan.FromSeconds(1), TestContext.CancellationToken);
            Assert.IsEmpty(notify.Messages.FindAll(m => m.Message.StartsWith("WATCHDOG=1", StringComparison.Ordinal) && m.At > unhealthyAt), "no ping while unhealthy: systemd would restart the daemon");
            StringAssert.Contains(gateway.Output, "unhealthy, watchdog pings withheld");

            System.IO.Directory.Move(moved, gatewayData);
            await notify.WaitForAsync("WATCHDOG=1", TimeSpan.FromSeconds(10), count: pingsBefore + 1, context: () => gateway.Output);
            Assert.IsTrue(notify.Messages.Exists(m => m.Message.StartsWith("WATCHDOG=1\nSTATUS=serving", StringComparison.Ordinal)), "recovery restores the status line");
            Assert.AreEqual(0, await gateway.TerminateAsync(TimeSpan.FromSeconds(20)), gateway.Output);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            TempDirectory.Delete(data);
        }
    }

    [TestMethod]
    [DataRow("30000000", null, 100, 15_000.0, DisplayName = "WatchdogSec=30: every 15 s")]
    [DataRow("30000000", "100", 100, 15_000.0, DisplayName = "WATCHDOG_PID is this process")]
    [DataRow("30000000", "101", 100, null, DisplayName = "WATCHDOG_PID is another process")]
    [DataRow("0", null, 100, null, DisplayName = "zero: no watchdog")]
    [DataRow("soon", null, 100, null, DisplayName = "garbage: no watchdog")]
    [DataRow(null, null, 100, null, DisplayName = "unset: no watchdog")]
    public void WatchdogIntervalFollowsSdWatchdogEnabled(string? usec, string? pid, int self, double? expectedMs)
    {
        var interval = WatchdogSettings.PingInterval(usec, pid, self);
        Assert.AreEqual(expectedMs, interval?.TotalMilliseconds);
    }
}
