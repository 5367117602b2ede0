using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text.Json.Nodes;
using System.Threading;
using System.Threading.Tasks;
using IoTSec.Gateway.Forwarder;
using IoTSec.Gateway.Tests.Pki;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.VisualStudio.TestTools.UnitTesting;
using static IoTSec.Gateway.Tests.Forwarder.SpoolFixture;

namespace IoTSec.Gateway.Tests.Forwarder;

/// <summary>
/// The spool and forwarder in process against a real Mosquitto (TLS, require_certificate),
/// the gateway's client certificate issued by a test gateway CA, the link cut and restored
/// through a socat relay.
/// </summary>
[TestClass]
public sealed class UpstreamLinkTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    private string _directory = null!;
    private TestHierarchy _hierarchy = null!;

    public TestContext TestContext { get; set; } = null!;

    [TestInitialize]
    public void Create()
    {
        _directory = TempDirectory.Create("iotsec-upstream");
        _hierarchy = TestHierarchy.Create(gatewayName: "gw-link");
        File.WriteAllText(Path.Combine(_directory, "gateway-ca.pem"), _hierarchy.Root.ExportCertificatePem() + "\n" + _hierarchy.Intermediate.ExportCertificatePem() + "\n");
    }

    [TestCleanup]
    public void Remove()
    {
        _hierarchy.Dispose();
        SqliteConnection.ClearAllPools();
        TempDirectory.Delete(_directory);
    }

    [TestMethod]
    public async Task UpstreamDownForAWhileThenBackEveryDeltaArrivesInOrderNoneLost()
    {
        await using var broker = await UpstreamBroker.StartAsync(_directory, Path.Combine(_directory, "gateway-ca.pem"));
        var settings = LinkSettings(broker);
        using var spool = UpstreamSpool.Open(Path.Combine(_directory, "spool.db"), settings, NullLogger.Instance);
        using var forwarder = Forwarder(spool, settings);
        await forwarder.StartAsync(CancellationToken.None);

        var at = DateTimeOffset.UtcNow;
        const int PerPhase = 100;
        var devices = new[] { "dev-a", "dev-b", "dev-c" };
        Produce(spool, devices, 0, PerPhase, at);
        await broker.WaitForAsync(r => r.Count(x => x.Kind is "s" or "d") >= devices.Length * PerPhase, Wait, () => string.Empty);

        broker.CutLink();
        Produce(spool, devices, PerPhase, PerPhase, at);
        Assert.IsGreaterThan(0L, spool.Backlog, "with the link cut, records wait in the spool");
        broker.RestoreLink();
        Produce(spool, devices, 2 * PerPhase, PerPhase, at);

        await broker.WaitForAsync(r => devices.All(d => r.Any(x => x.Device == d && x.Sequence == 3 * PerPhase)), Wait, () => $"backlog {spool.Backlog}");
        await forwarder.StopAsync(CancellationToken.None);
        foreach (var device in devices)
        {
            var received = broker.Records.Where(r => r.Device == device).ToList();
            var firstArrivals = received.DistinctBy(r => r.Sequence).Select(r => r.Sequence).ToList();
            CollectionAssert.AreEqual(Enumerable.Range(1, 3 * PerPhase).Select(i => (long)i).ToList(), firstArrivals, $"{device}: every sequence, in order");

            // Replaying the patches upstream rebuilds every sample the device sent.
            JsonNode? state = null;
            var counters = new List<long>();
            foreach (var record in received.DistinctBy(r => r.Sequence))
            {
                state = MergePatch.Apply(state, record.Body);
                counters.Add((long)state!["counter"]!);
            }

            CollectionAssert.AreEqual(Enumerable.Range(0, 3 * PerPhase).Select(i => (long)i).ToList(), counters, $"{device}: every counter value");
        }
    }

    [TestMethod]
    public async Task AnUpstreamSnapshotRequestBringsTheFullStateAfterPendingRecords()
    {
        await using var broker = await UpstreamBroker.StartAsync(_directory, Path.Combine(_directory, "gateway-ca.pem"));
        var settings = LinkSettings(broker);
        using var spool = UpstreamSpool.Open(Path.Combine(_directory, "spool.db"), settings, NullLogger.Instance);
        using var forwarder = Forwarder(spool, settings);
        await forwarder.StartAsync(CancellationToken.None);
        var at = DateTimeOffset.UtcNow;
        Produce(spool, ["dev-a", "dev-b"], 0, 3, at);
        await broker.WaitForAsync(r => r.Count >= 6, Wait, () => string.Empty);

        await broker.RequestAsync("gw-link", """{"snapshot":["dev-b"]}""");
        await broker.RequestAsync("gw-link", """{"snapshot":"not-a-list"}""");

        await broker.WaitForAsync(r => r.Any(x => x.Device == "dev-b" && x.Sequence == 4), Wait, () => string.Empty);
        await forwarder.StopAsync(CancellationToken.None);
        var snapshot = broker.Records.Single(x => x.Device == "dev-b" && x.Sequence == 4);
        Assert.AreEqual("s", snapshot.Kind);
        Assert.AreEqual(2L, (long)snapshot.Body!["counter"]!);
        Assert.AreEqual("SN-0001", (string?)snapshot.Body!["serial"]);
        Assert.IsFalse(broker.Records.Any(x => x.Device == "dev-a" && x.Sequence > 3), "dev-a was not asked for");
    }

    [TestMethod]
    public async Task ABrokerThatDoesNotTrustTheGatewayCaGetsNothingAndTheSpoolKeepsIt()
    {
        // The broker trusts only its own CA: the gateway's handshake fails, and it backs off.
        await using var broker = await UpstreamBroker.StartAsync(_directory);
        var settings = LinkSettings(broker);
        using var spool = UpstreamSpool.Open(Path.Combine(_directory, "spool.db"), settings, NullLogger.Instance);
        using var forwarder = Forwarder(spool, settings);
        await forwarder.StartAsync(CancellationToken.None);
        Produce(spool, ["dev-a"], 0, 5, DateTimeOffset.UtcNow);

        await Task.Delay(TimeSpan.FromSeconds(1.5), TestContext.CancellationToken);
        await forwarder.StopAsync(CancellationToken.None);
        Assert.IsEmpty(broker.Records);
        Assert.AreEqual(5, spool.Backlog);
    }

    private static void Produce(UpstreamSpool spool, string[] devices, int from, int count, DateTimeOffset at)
    {
        for (var n = from; n < from + count; n++)
        {
            foreach (var device in devices)
            {
                spool.Enqueue(Telemetry(device, Sample(n, 20 + (n % 4)), at.AddSeconds(n)));
            }
        }
    }

    private UpstreamSettings LinkSettings(UpstreamBroker broker) => new()
    {
        Host = "127.0.0.1",
        Port = broker.LinkPort,
        CaFile = broker.CaFile,
        ClientId = "gw-link",
        BatchMaxRecords = 7,
        ReconnectMinDelay = TimeSpan.FromMilliseconds(100),
        ReconnectMaxDelay = TimeSpan.FromMilliseconds(400),
    };

    private UpstreamForwarder Forwarder(UpstreamSpool spool, UpstreamSettings settings)
    {
        var identity = UpstreamClientIdentity.Issued(_hierarchy.Authority, settings.ClientId, TimeSpan.FromHours(1));
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(settings.CaFile);
        return new UpstreamForwarder(spool, settings, settings.ClientId, identity,
            forwarder => new UpstreamLink(settings, settings.ClientId, identity, trust, forwarder.OnRequestAsync),
            NullLogger<UpstreamForwarder>.Instance);
    }
}
