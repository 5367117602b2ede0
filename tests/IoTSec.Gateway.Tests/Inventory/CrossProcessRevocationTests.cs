using System;
using System.Diagnostics;
using System.IO;
using System.Threading.Tasks;
using IoTSec.Gateway.Core.Audit;
using IoTSec.Gateway.Core.Inventory;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Inventory;

/// <summary>
/// The real thing: the iotsec-gateway executable, in its own process, revokes a device while
/// this process plays the daemon (inventory open, poller running, a session subscribed).
/// </summary>
[TestClass]
public sealed class CrossProcessRevocationTests
{
    [TestMethod]
    public async Task Revocation_by_the_cli_process_reaches_the_daemons_subscriber_within_a_second()
    {
        using var dir = new TemporaryDataDirectory();
        using var ca = new TestCertificates();
        using var audit = AuditLog.Open(dir.Data);
        using var daemon = DeviceInventory.Open(dir.Data.InventoryDatabase, audit: audit);
        InventoryFixture.RegisterWithBirthCertificates(daemon, ca, "pump", "pump-1");
        using var certificate = ca.Issue("pump-1");
        daemon.RecordIssuedCertificate("pump-1", certificate);
        using var session = daemon.Revocations.Subscribe();
        using var poller = new RevocationPoller(daemon);

        var cli = RunGatewayProcess(dir.Path, "devices", "revoke", "pump-1", "--reason", "revoked from another process");
        var exited = Stopwatch.StartNew();

        Assert.AreEqual(0, cli.ExitCode, cli.Output);
        var revocation = await session.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(1)).ConfigureAwait(false);
        Assert.IsTrue(exited.Elapsed < TimeSpan.FromSeconds(1), $"{exited.Elapsed.TotalMilliseconds} ms after the CLI exited");
        Assert.AreEqual("pump-1", revocation.DeviceId);
        Assert.AreEqual("revoked from another process", revocation.Reason);
        Assert.IsTrue(daemon.IsRevoked(certificate));
        var verification = audit.Verify();
        Assert.IsTrue(verification.IsIntact, verification.FirstProblem?.Detail);
        Assert.AreEqual("Revocation", audit.List()[^1].Kind, "the CLI's audit entry continues the daemon's chain");
    }

    private static (int ExitCode, string Output) RunGatewayProcess(string dataDirectory, params string[] args)
    {
        var executable = Path.Combine(AppContext.BaseDirectory, "iotsec-gateway.dll");
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(executable);
        start.ArgumentList.Add("--data-dir");
        start.ArgumentList.Add(dataDirectory);
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("iotsec-gateway did not exit within 60 s");
        }

        return (process.ExitCode, output.Result + error.Result);
    }
}
