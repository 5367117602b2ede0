using System;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Firmware.Commands;
using IoTSec.Firmware.Heartbeat;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Time;
using IoTSec.Protocol.Provisioning;
using IoTSec.Protocol.Rsa;
using IoTSec.Protocol.Topics;

namespace IoTSec.Firmware.Tests.Heartbeat;

/// <summary>
/// One simulated device of these tests: the real firmware core (heartbeat agent, command
/// dispatcher, downlink router) over a DirectoryFlashStore and the real MqttNetLink to the real
/// broker. <see cref="Boot"/> builds every object anew over the same flash directory, which is
/// what a reboot or a power cycle leaves: only the flash survives.
/// </summary>
internal sealed class SimulatedDevice : IDisposable
{
    private static readonly Lazy<RSA> OtaRsa = new(() => RSA.Create(2048));

    private readonly MosquittoBroker _broker;
    private readonly TlsClientCredentials _credentials;

    public SimulatedDevice(MosquittoBroker broker, TestPki pki, string deviceId, string flashDirectory)
        : this(broker, Credentials(pki, deviceId), deviceId, flashDirectory, RandomNumberGenerator.GetBytes(32), ProvisionedAnchors(pki))
    {
    }

    private SimulatedDevice(MosquittoBroker broker, TlsClientCredentials credentials, string deviceId, string flashDirectory, byte[] key, TrustAnchorList provisioned)
    {
        _broker = broker;
        _credentials = credentials;
        DeviceId = deviceId;
        Topics = new DeviceTopics(deviceId);
        FlashDirectory = flashDirectory;
        Key = key;
        Provisioned = provisioned;
    }

    /// <summary>The OTA signing key the devices are provisioned with (shared: RSA key generation is slow).</summary>
    public static RSA OtaKey => OtaRsa.Value;

    public static byte[] OtaKeyId { get; } = "ota-1"u8.ToArray();

    public string DeviceId { get; }

    public DeviceTopics Topics { get; }

    public string FlashDirectory { get; }

    /// <summary>The heartbeat key (the gateway derives the same one; here the test holds it).</summary>
    public byte[] Key { get; set; }

    public TrustAnchorList Provisioned { get; }

    public TestStatus Status { get; } = new();

    public TestActions Actions { get; } = new();

    public TestPlatform Platform { get; } = new();

    public TestLog Log { get; } = new();

    public DirectoryFlashStore Flash { get; private set; } = null!;

    public SimulatedClock Clock { get; private set; } = null!;

    public MqttNetLink Link { get; private set; } = null!;

    public DownlinkInbox Inbox { get; private set; } = null!;

    public TrustedClock TrustedClock { get; private set; } = null!;

    public RefusalRecord Refusals { get; private set; } = null!;

    public TrustAnchorStore Anchors { get; private set; } = null!;

    public HeartbeatAgent Agent { get; private set; } = null!;

    public CommandDispatcher Dispatcher { get; private set; } = null!;

    public DownlinkRouter Router { get; private set; } = null!;

    /// <summary>A second device that starts from a copy of this one's flash and identity: a clone.</summary>
    public SimulatedDevice Clone(string flashDirectory)
    {
        Directory.CreateDirectory(flashDirectory);
        foreach (var file in Directory.GetFiles(FlashDirectory))
        {
            File.Copy(file, Path.Combine(flashDirectory, Path.GetFileName(file)));
        }

        return new SimulatedDevice(_broker, _credentials, DeviceId, flashDirectory, Key, Provisioned);
    }

    /// <summary>Power on: new objects over the same flash, count the boot, connect and subscribe.</summary>
    public void Boot(PowerCut? powerCut = null)
    {
        ShutDown();
        Flash = new DirectoryFlashStore(FlashDirectory, 1 << 20, powerCut);
        Clock = new SimulatedClock();
        Link = new MqttNetLink();
        Inbox = new DownlinkInbox();
        var key = new HeartbeatKeyHolder();
        key.Set(Key);
        TrustedClock = new TrustedClock(Clock);
        Refusals = new RefusalRecord(Flash);
        Anchors = new TrustAnchorStore(Flash, Provisioned);
        Agent = new HeartbeatAgent(DeviceId, Flash, Clock, Platform, Link, Status, key, TrustedClock, Refusals, Log) { Anchors = Anchors };
        Dispatcher = new CommandDispatcher(DeviceId, Flash, Link, Platform, key, TrustedClock, Refusals, Anchors, Actions, Agent, Log);
        Router = new DownlinkRouter(DeviceId, Inbox, Agent, Dispatcher, Log);
        Agent.Boot();
        Link.Connect("127.0.0.1", _broker.Port, DeviceId, _credentials, Inbox);
        Router.Subscribe(Link);
    }

    /// <summary>Waits until a downlink message arrived, then handles every waiting one on this (the main) thread.</summary>
    public int ProcessDownlink(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (Inbox.Count == 0 && DateTime.UtcNow < deadline)
        {
            Inbox.WaitForMessage(50);
        }

        return Router.ProcessPending();
    }

    /// <summary>Power off: the MQTT session ends; RAM is gone with the objects.</summary>
    public void ShutDown() => Link?.Dispose();

    public void Dispose() => ShutDown();

    private static TlsClientCredentials Credentials(TestPki pki, string deviceId)
    {
        var (certificate, key) = pki.Client(deviceId);
        using (certificate)
        using (key)
        {
            return new TlsClientCredentials(certificate.RawData, key.ExportPkcs8PrivateKey(), pki.Root.RawData);
        }
    }

    private static TrustAnchorList ProvisionedAnchors(TestPki pki)
    {
        var parameters = OtaKey.ExportParameters(false);
        var coseKey = RsaCoseKey.Encode(RsaPublicKey.FromModulusAndExponent(parameters.Modulus!, parameters.Exponent!), OtaKeyId);
        return new TrustAnchorList([
            new TrustAnchor(IoTSec.Protocol.Provisioning.TrustAnchorKind.GatewayRoot, pki.Root.RawData, "gw-root"u8.ToArray()),
            new TrustAnchor(IoTSec.Protocol.Provisioning.TrustAnchorKind.OtaSigningKey, coseKey, OtaKeyId),
        ]);
    }
}
