using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Est;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.Est;

/// <summary>A revocation drops the device's live EST connections within a second, idle keep-alive ones included.</summary>
[TestClass]
public sealed class EstRevocationTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public async Task RevocationAbortsALiveKeepAliveConnectionWithinOneSecond()
    {
        await using var gateway = await EstTestGateway.StartAsync();
        var births = gateway.Register("dev-live", "dev-bystander");
        using var operational = await gateway.EnrolAsync("dev-live", births["dev-live"]);
        await using var live = await OpenIdleAsync(gateway, operational);
        await using var liveBirth = await OpenIdleAsync(gateway, births["dev-live"]);
        await using var bystander = await OpenIdleAsync(gateway, births["dev-bystander"]);
        Assert.AreEqual(2, gateway.Get<DeviceConnections>().CountOf("dev-live"));

        var clock = Stopwatch.StartNew();
        gateway.Inventory.Revoke("dev-live", "compromised");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(1));
        await Task.WhenAll(live.WaitForCloseAsync(timeout.Token), liveBirth.WaitForCloseAsync(timeout.Token));
        clock.Stop();

        Assert.IsFalse(timeout.IsCancellationRequested, "the connections were not closed within a second");
        Assert.IsLessThan(TimeSpan.FromSeconds(1), clock.Elapsed);
        Assert.AreEqual(0, gateway.Get<DeviceConnections>().CountOf("dev-live"));
        TestContext.WriteLine($"revocation to closed connections: {clock.Elapsed.TotalMilliseconds:F1} ms");

        // Another device's connection is untouched and still served.
        await bystander.SendHeadAsync("GET", EstProtocol.CaCertsPath, new Dictionary<string, string>(), TestContext.CancellationToken);
        Assert.AreEqual(200, (await bystander.ReadResponseAsync(TestContext.CancellationToken)).Status);
    }

    // A connection that made one request and now idles in keep-alive.
    private async Task<RawEstConnection> OpenIdleAsync(EstTestGateway gateway, System.Security.Cryptography.X509Certificates.X509Certificate2 certificate)
    {
        var connection = await RawEstConnection.OpenAsync(gateway, certificate, TestContext.CancellationToken);
        await connection.SendHeadAsync("GET", EstProtocol.CaCertsPath, new Dictionary<string, string>(), TestContext.CancellationToken);
        var response = await connection.ReadResponseAsync(TestContext.CancellationToken);
        Assert.AreEqual(200, response.Status, response.Body);
        return connection;
    }
}
