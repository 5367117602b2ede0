using System;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading.Tasks;
using IoTSec.Firmware.Commands;
using IoTSec.Firmware.Heartbeat;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Time;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Provisioning;
using IoTSec.Protocol.Topics;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.EdgeEndToEnd;

/// <summary>
/// A device running the real firmware core (heartbeat agent, command dispatcher, downlink
/// router) over a DirectoryFlashStore and the desktop MqttNetLink, against the real gateway:
/// the identity from <c>dev issue-cert</c>, the heartbeat key fetched by <see cref="FieldDevice"/>.
/// <see cref="Boot"/> rebuilds everything over the same flash directory (a reboot).
/// </summary>
internal sealed class FirmwareDevice : IDisposable
{
    private readonly EdgeGateway _gateway;
    private readonly TlsClientCredentials _credentials;
    private readonly TrustAnchorList _anchors;
    private readonly Status _status;

    public FirmwareDevice(EdgeGateway gateway, string deviceId, string flashDirectory, byte[] firmwareDigest)
        : this(gateway, deviceId, flashDirectory, firmwareDigest, FetchKey(gateway, deviceId, firmwareDigest))
    {
    }

    private FirmwareDevice(EdgeGateway gateway, string deviceId, string flashDirectory, byte[] firmwareDigest, byte[] key)
    {
        _gateway = gateway;
        DeviceId = deviceId;
        FlashDirectory = flashDirectory;
        Key = key;
        Topics = new DeviceTopics(deviceId);
        _status = new Status(firmwareDigest);
        var directory = gateway.DeviceDirectory(deviceId);
        using var certificate = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(directory, deviceId + ".pem")));
        using var privateKey = ECDsa.Create();
        privateKey.ImportFromPem(File.ReadAllText(Path.Combine(directory, deviceId + ".key.pem")));
        using var root = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(directory, "ca.pem")));
        _credentials = new TlsClientCredentials(certificate.RawData, privateKey.ExportPkcs8PrivateKey(), root.RawData);

        // The OTA key is not used here; the list needs one.
        using var ota = RSA.Create(2048);
        var parameters = ota.ExportParameters(false);
        var coseKey = IoTSec.Protocol.Rsa.RsaCoseKey.Encode(IoTSec.Protocol.Rsa.RsaPublicKey.FromModulusAndExponent(parameters.Modulus!, parameters.Exponent!), "ota"u8.ToArray());
        _anchors = new TrustAnchorList([
            new TrustAnchor(IoTSec.Protocol.Provisioning.TrustAnchorKind.GatewayRoot, root.RawData, "root"u8.ToArray()),
            new TrustAnchor(IoTSec.Protocol.Provisioning.TrustAnchorKind.OtaSigningKey, coseKey, "ota"u8.ToArray()),
        ]);
    }

    public string DeviceId { get; }

    public string FlashDirectory { get; }

    public byte[] Key { get; }

    public DeviceTopics Topics { get; }

    public SimulatedClock Clock { get; private set; } = null!;

    public MqttNetLink Link { get; private set; } = null!;

    public DownlinkInbox Inbox { get; private set; } = null!;

    public TrustedClock TrustedClock { get; private set; } = null!;

    public HeartbeatAgent Agent { get; private set; } = null!;

    public DownlinkRouter Router { get; private set; } = null!;

    /// <summary>A second board with a copy of this one's flash, certificate and key: a clone.</summary>
    public FirmwareDevice Clone(string flashDirectory)
    {
        Directory.CreateDirectory(flashDirectory);
        foreach (var file in Directory.GetFiles(FlashDirectory))
        {
            File.Copy(file, Path.Combine(flashDirectory, Path.GetFileName(file)));
        }

        return new FirmwareDevice(_gateway, DeviceId, flashDirectory, _status.FirmwareDigest, Key);
    }

    public void Boot()
    {
        ShutDown();
        var flash = new DirectoryFlashStore(FlashDirectory, 1 << 20);
        var platform = new Platform();
        var log = new NullLog();
        Clock = new SimulatedClock();
        Link = new MqttNetLink();
        Inbox = new DownlinkInbox();
        var key = new HeartbeatKeyHolder();
        key.Set(Key);
        TrustedClock = new TrustedClock(Clock);
        var refusals = new RefusalRecord(flash);
        var anchors = new TrustAnchorStore(flash, _anchors);
        Agent = new HeartbeatAgent(DeviceId, flash, Clock, platform, Link, _status, key, TrustedClock, refusals, log) { Anchors = anchors };
        var dispatcher = new CommandDispatcher(DeviceId, flash, Link, platform, key, TrustedClock, refusals, anchors, new NoActions(), Agent, log);
        Router = new DownlinkRouter(DeviceId, Inbox, Agent, dispatcher, log);
        Agent.Boot();
        Link.Connect("127.0.0.1", _gateway.BrokerPort, DeviceId, _credentials, Inbox);
        Router.Subscribe(Link);
    }

    /// <summary>Sends a heartbeat and runs the downlink until the gateway's acknowledgement of it was taken.</summary>
    public async Task<HeartbeatAckVerdict> HeartbeatAsync(TimeSpan wait)
    {
        int before = Agent.AcknowledgedSinceBoot;
        Agent.SendHeartbeat();
        var deadline = DateTime.UtcNow + wait;
        while (Agent.AcknowledgedSinceBoot == before)
        {
            if (DateTime.UtcNow > deadline)
            {
                Assert.Fail($"no acknowledgement for {DeviceId} within {wait}:\n{_gateway.Process.Output}");
            }

            await Task.Run(() => Inbox.WaitForMessage(100));
            Router.ProcessPending();
        }

        return Agent.LastVerdict;
    }

    public void ShutDown() => Link?.Dispose();

    public void Dispose() => ShutDown();

    private static byte[] FetchKey(EdgeGateway gateway, string deviceId, byte[] firmwareDigest)
    {
        var field = new FieldDevice(gateway, deviceId);
        field.FetchHeartbeatKey(firmwareDigest);
        return field.Heartbeats.Key;
    }

    private sealed class Status(byte[] firmwareDigest) : IHeartbeatStatusSource
    {
        public string FirmwareVersion => "1.0.0";

        public byte[] FirmwareDigest { get; } = firmwareDigest;

        public FirmwareSlot ActiveSlot => FirmwareSlot.A;

        public byte[] ConfigurationDigest { get; } = SHA256.HashData("e2e configuration"u8);

        public PostureFlags PostureFlags => PostureFlags.None;

        public uint LastOtaRefusal => 0;
    }

    private sealed class Platform : IDevicePlatform
    {
        public byte[] HardwareId { get; } = [1, 2, 3, 4, 5, 6];

        public string BoardName => "desktop-sim";

        public IDigestProvider Digests => PortableDigests.Instance;

        public void GetRandomBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);

        public void Reboot() => throw new DeviceRebootException("reboot command");
    }

    private sealed class NoActions : ICommandActions
    {
        public CommandResult ReEnrol() => CommandResult.Unsupported;

        public CommandResult RefreshHeartbeatKey() => CommandResult.Unsupported;

        public void Decommission()
        {
        }
    }

    private sealed class NullLog : IDeviceLog
    {
        public void Write(string message)
        {
        }
    }
}
