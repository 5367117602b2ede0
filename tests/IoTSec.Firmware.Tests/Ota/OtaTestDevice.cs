using System;
using System.Collections.Generic;
using System.IO;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Lifecycle;
using IoTSec.Firmware.Ota;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Cose;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Manifest;
using IoTSec.Protocol.Provisioning;
using IoTSec.Protocol.Rsa;
using TrustAnchorKind = IoTSec.Protocol.Provisioning.TrustAnchorKind;

namespace IoTSec.Firmware.Tests.Ota;

/// <summary>
/// A simulated device for the OTA tests: its flash is a <see cref="DirectoryFlashStore"/> in its
/// own directory; "rebooting" builds new objects over the same directory, as a real device
/// has only its flash after power comes back. Manifests are signed here with a real RSA-PSS
/// key, the way the protocol tests and the release tool sign them.
/// </summary>
internal sealed class OtaTestDevice
{
    public const long FlashCapacity = 1 << 20;
    public const long SlotCapacity = 128 * 1024;
    public const long Now = 1_798_761_600;
    public const long Expiry = 1_893_456_000;
    public const string Resource = "/ota/v1/releases/app.bundle";

    public static readonly byte[] VendorId = Convert.FromHexString("4f8a6c1e2b3d4e5f8a9b0c1d2e3f4a5b");
    public static readonly byte[] ClassId = Convert.FromHexString("9d2c7b1a5e6f4a3b9c8d7e6f5a4b3c2d");
    public static readonly byte[] OtaKeyId = "ota-fw-test-1"u8.ToArray();

    private static readonly Lazy<RSA> OtaRsa = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> OtherRsa = new(() => RSA.Create(2048));
    private static readonly Lazy<TrustAnchorList> AnchorList = new(CreateAnchors);

    public OtaTestDevice(string directory, PowerCut? powerCut = null)
    {
        Directory = directory;
        PowerCut = powerCut ?? new PowerCut();
        Boot();
    }

    public string Directory { get; }

    public PowerCut PowerCut { get; }

    public DirectoryFlashStore Flash { get; private set; } = null!;

    public TestClock Clock { get; private set; } = null!;

    public TestPlatform Platform { get; } = new();

    public TestLog Log { get; } = new();

    public static RSA OtaKey => OtaRsa.Value;

    public static RSA OtherKey => OtherRsa.Value;

    public static TrustAnchorList Anchors => AnchorList.Value;

    /// <summary>Power comes back: new flash, clock and lifecycle objects over the same directory.</summary>
    public void Boot()
    {
        Flash = new DirectoryFlashStore(Directory, FlashCapacity, PowerCut);
        Clock = new TestClock();
    }

    public LifecycleMachine Lifecycle() => new(Flash, Log);

    public UpdateAgent Agent(IFirmwareSource source, int trialAttempts = 2, int chunkSize = 1024, long slotCapacity = SlotCapacity, long reserve = 16 * 1024) =>
        new(Flash, Platform, Clock, source, Anchors, new UpdateAgentSettings(VendorId, ClassId, slotCapacity) { TrialAttempts = trialAttempts, ChunkSize = chunkSize, FlashReserveBytes = reserve }, Lifecycle(), Log);

    public BootDecision Decide() => new BootSelector(Flash, PortableDigests.Instance).Decide();

    public OtaStatus Status() => new(Flash);

    public byte[] ReadSlot(string file)
    {
        long length = Flash.GetLength(file);
        if (length < 0)
        {
            return [];
        }

        var bytes = new byte[length];
        Flash.Read(file, 0, bytes, 0, bytes.Length);
        return bytes;
    }

    /// <summary>A well-formed application bundle whose content depends on <paramref name="seed"/>.</summary>
    public static byte[] Bundle(int seed, int length = 20_000)
    {
        var app = new byte[length];
        var lib = new byte[length / 3];
        new Random(seed).NextBytes(app);
        new Random(seed + 1000).NextBytes(lib);
        return ApplicationBundle.Build("Vendor.Sensor.Program", ["Vendor.Sensor.Lib", "Vendor.Sensor"], [lib, app]);
    }

    public static OtaManifest Manifest(byte[] image, ulong sequence, string version, string minimum = "1.0.0", long expiry = Expiry, byte[]? classId = null, long? size = null, byte[]? digest = null) =>
        new(sequence, VendorId, classId ?? ClassId, version, minimum, expiry,
            [new ManifestComponent(ManifestComponentIds.ApplicationBundle, digest ?? SHA256.HashData(image), size ?? image.Length)], "wave-1");

    public static byte[] Sign(OtaManifest manifest, RSA? signer = null, byte[]? keyId = null)
    {
        var protectedHeader = CoseSign1.EncodeProtectedHeader(CoseAlgorithms.Ps256, ManifestContentTypes.Manifest, keyId ?? OtaKeyId);
        var payload = manifest.Encode();
        var signature = (signer ?? OtaKey).SignData(CoseSign1.BuildToBeSigned(protectedHeader, [], payload), HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return CoseSign1.Encode(protectedHeader, payload, signature);
    }

    private static TrustAnchorList CreateAnchors()
    {
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=IoTSec test gateway root", rootKey, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        var parameters = OtaKey.ExportParameters(false);
        var otaKey = RsaCoseKey.Encode(RsaPublicKey.FromModulusAndExponent(parameters.Modulus!, parameters.Exponent!), OtaKeyId);
        return new TrustAnchorList(
        [
            new TrustAnchor(TrustAnchorKind.GatewayRoot, root.RawData, "gw-root"u8.ToArray()),
            new TrustAnchor(TrustAnchorKind.OtaSigningKey, otaKey, OtaKeyId),
        ]);
    }
}

/// <summary>The board as the OTA code sees it: portable digests, and a reboot that throws like the desktop layer's.</summary>
internal sealed class TestPlatform : IDevicePlatform
{
    public int Reboots { get; private set; }

    public byte[] HardwareId => [1, 2, 3, 4];

    public string BoardName => "desktop-test";

    public IDigestProvider Digests => PortableDigests.Instance;

    public void GetRandomBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);

    public void Reboot()
    {
        Reboots++;
        throw new DeviceRebootException("reboot requested");
    }
}

/// <summary>A monotonic clock the test moves by hand.</summary>
internal sealed class TestClock : IDeviceClock
{
    public long MillisecondsSinceBoot { get; set; }

    public void Sleep(int milliseconds) => MillisecondsSinceBoot += milliseconds;
}

internal sealed class TestLog : IDeviceLog
{
    public List<string> Lines { get; } = [];

    public void Write(string message) => Lines.Add(message);
}

/// <summary>
/// Stands in for the core's HTTP/1.1 range client (another helper's component, not in this
/// worktree yet): serves a byte array by ranges, and can fail the way a network does or
/// serve a different length than signed.
/// </summary>
internal sealed class ArrayFirmwareSource(byte[] content) : IFirmwareSource
{
    public List<long> Positions { get; } = [];

    /// <summary>Throw a NetworkException at the read that starts at or after this byte; -1 for never.</summary>
    public long FailAtOrAfter { get; set; } = -1;

    public int ReadRange(string resource, long position, byte[] buffer, int offset, int count)
    {
        Positions.Add(position);
        if (FailAtOrAfter >= 0 && position >= FailAtOrAfter)
        {
            FailAtOrAfter = -1;
            throw new NetworkException("connection reset by the test");
        }

        if (position >= content.Length)
        {
            return 0;
        }

        int n = (int)Math.Min(count, content.Length - position);
        Array.Copy(content, position, buffer, offset, n);
        return n;
    }
}

internal static class TempDirectory
{
    public static string Create(string prefix) => System.IO.Directory.CreateTempSubdirectory(prefix).FullName;
}
