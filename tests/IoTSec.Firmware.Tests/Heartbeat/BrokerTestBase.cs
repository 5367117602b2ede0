using System;
using System.IO;
using System.Threading.Tasks;
using IoTSec.Protocol.Heartbeat;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Firmware.Tests.Heartbeat;

/// <summary>One real Mosquitto with its PKI and a connected gateway stand-in.</summary>
internal sealed class BrokerFixture : IAsyncDisposable
{
    private BrokerFixture(TestPki pki, MosquittoBroker broker, GatewayStandIn gateway)
    {
        Pki = pki;
        Broker = broker;
        Gateway = gateway;
    }

    public TestPki Pki { get; }

    public MosquittoBroker Broker { get; }

    public GatewayStandIn Gateway { get; }

    public static async Task<BrokerFixture> StartAsync()
    {
        var pki = new TestPki();
        var broker = MosquittoBroker.Start(pki);
        return new BrokerFixture(pki, broker, await GatewayStandIn.ConnectAsync(broker, pki));
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        Broker.Dispose();
        Pki.Dispose();
    }
}

/// <summary>
/// What the broker tests share: one real Mosquitto and one gateway stand-in per test class,
/// a private flash directory per test, and the gateway's view of a device's heartbeats through
/// the real decoder and chain verifier.
/// </summary>
public abstract class BrokerTestBase
{
    /// <summary>Longest wait for a message through the broker.</summary>
    internal static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);

    private string _directory = null!;

    internal GatewayStandIn Gateway => Fixture.Gateway;

    public TestContext TestContext { get; set; } = null!;

    /// <summary>The broker of the derived test class (its own: classes run side by side).</summary>
    internal abstract BrokerFixture Fixture { get; }

    [TestInitialize]
    public void CreateDirectory() => _directory = Directory.CreateTempSubdirectory("iotsec-fw-hb-").FullName;

    [TestCleanup]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    /// <summary>A device with an id unique to this test and its own flash directory.</summary>
    internal SimulatedDevice NewDevice(string name = "flash")
    {
        var id = "dev-" + Guid.NewGuid().ToString("N")[..10];
        return new SimulatedDevice(Fixture.Broker, Fixture.Pki, id, Path.Combine(_directory, name));
    }

    internal string PathFor(string name) => Path.Combine(_directory, name);

    /// <summary>The gateway's reading of the next heartbeat of <paramref name="device"/>: decoded with its key and id, then judged by <paramref name="chain"/>.</summary>
    internal async Task<(HeartbeatFields Fields, ChainVerdict Verdict, byte[] Bytes, byte[] Link)> ObserveAsync(SimulatedDevice device, HeartbeatChainVerifier chain)
    {
        var bytes = await Gateway.NextAsync(device.Topics.Heartbeat, Wait);
        var heartbeat = HeartbeatDecoder.Decode(bytes, device.Key, device.DeviceId);
        return (heartbeat.Fields, chain.Observe(heartbeat), bytes, heartbeat.GetLink());
    }
}
