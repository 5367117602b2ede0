using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Firmware.Enrolment;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Provisioning;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Tests.Enrolment;

/// <summary>
/// One simulated device for enrolment tests: its flash in a temporary directory, a provisioned
/// identity (birth certificate and key, gateway root, gateway address), the desktop TLS layer,
/// a clock that records the waits instead of sleeping, and a log the test can search.
/// </summary>
internal sealed class TestDevice : IDisposable
{
    public TestDevice(string deviceId, X509Certificate2 birth, X509Certificate2 gatewayRoot, int port, string host = "127.0.0.1")
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("iotsec-fw-dev-").FullName;
        Flash = new DirectoryFlashStore(Path.Combine(Directory, "flash"), 1 << 20);
        // Enrolment uses only the gateway root; the list also needs an OTA key, here the
        // smallest well-formed COSE_Key ({1: 3}, kty RSA), which enrolment never reads.
        var anchors = new TrustAnchorList(
        [
            new TrustAnchor(TrustAnchorKind.GatewayRoot, gatewayRoot.RawData, [1, 2, 3, 4]),
            new TrustAnchor(TrustAnchorKind.OtaSigningKey, [0xA1, 0x01, 0x03], [5, 6, 7, 8]),
        ]);
        var configuration = new ProvisioningConfiguration(EstGateway.DeviceClass, host, port, 8883, 60);
        BirthKey = birth.GetECDsaPrivateKey()!.ExportPkcs8PrivateKey();
        Identity = new ProvisionedIdentity(deviceId, configuration, anchors, birth.RawData, BirthKey);
        Client = new EnrolmentClient(Identity, new SslStreamChannelFactory(), Platform, Clock, Flash, Log) { TimeoutMs = 20000 };
    }

    public string Directory { get; }

    public DirectoryFlashStore Flash { get; }

    public ProvisionedIdentity Identity { get; }

    public byte[] BirthKey { get; }

    public DesktopPlatform Platform { get; } = new([0xD, 0xE, 0xF]);

    public RecordingClock Clock { get; } = new();

    public RecordingLog Log { get; } = new();

    public EnrolmentClient Client { get; }

    public void Dispose() => System.IO.Directory.Delete(Directory, recursive: true);
}

/// <summary>A device clock that advances by the requested sleep instead of blocking, and remembers each one.</summary>
internal sealed class RecordingClock : IDeviceClock
{
    public List<int> Sleeps { get; } = [];

    public long MillisecondsSinceBoot { get; private set; }

    public void Sleep(int milliseconds)
    {
        Sleeps.Add(milliseconds);
        MillisecondsSinceBoot += milliseconds;
    }
}

/// <summary>The device log, kept for assertions (for example that no key reaches it).</summary>
internal sealed class RecordingLog : IDeviceLog
{
    private readonly List<string> _lines = [];

    public IReadOnlyList<string> Lines => _lines;

    public string All => string.Join("\n", _lines);

    public void Write(string message)
    {
        lock (_lines)
        {
            _lines.Add(message);
        }
    }
}
