using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Host.Simulation;
using IoTSec.Firmware.Lifecycle;
using IoTSec.Firmware.Provisioning;
using IoTSec.Gateway.Core.Pki;
using IoTSec.Gateway.Hosting;
using IoTSec.Gateway.Tests.EdgeEndToEnd;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Provisioning;
using Microsoft.VisualStudio.TestTools.UnitTesting;

namespace IoTSec.Gateway.Tests.FirmwareDevice;

/// <summary>
/// The factory line for simulated devices against a running development gateway: birth
/// certificates issued under the gateway's development root (which that gateway trusts for
/// birth certificates, as <c>dev issue-cert</c> does), the devices registered with
/// <c>devices import</c> (id, class, birth certificate SHA-256: the manufacturing file), and
/// each device provisioned over its console with the real <see cref="ProvisioningConsoleClient"/>.
/// </summary>
internal sealed class FactoryStation
{
    public const string DeviceClass = "sensor";

    private readonly EdgeGateway _gateway;
    private readonly X509Certificate2 _root;
    private readonly ECDsa _rootKey;
    private readonly byte[] _otaKey;

    public FactoryStation(EdgeGateway gateway)
    {
        _gateway = gateway;
        var pki = Path.Combine(gateway.DataDirectory, GatewayAuthorityFactory.DevelopmentDirectory);
        _root = X509Certificate2.CreateFromPem(File.ReadAllText(Path.Combine(pki, DevelopmentPki.RootCertificateFile)));
        _rootKey = ECDsa.Create();
        _rootKey.ImportFromPem(File.ReadAllText(Path.Combine(pki, DevelopmentPki.RootKeyFile)));
        using var ota = RSA.Create(2048);
        var parameters = ota.ExportParameters(false);
        _otaKey = IoTSec.Protocol.Rsa.RsaCoseKey.Encode(IoTSec.Protocol.Rsa.RsaPublicKey.FromModulusAndExponent(parameters.Modulus!, parameters.Exponent!), "ota-1"u8.ToArray());
    }

    /// <summary>Issues birth certificates for <paramref name="deviceIds"/> and registers them in one manufacturing file.</summary>
    public Dictionary<string, X509Certificate2> Manufacture(params string[] deviceIds)
    {
        var births = deviceIds.ToDictionary(id => id, Birth, StringComparer.Ordinal);
        var file = Path.Combine(_gateway.DataDirectory, $"manufacturing-{Guid.NewGuid():N}.csv");
        File.WriteAllLines(file, new[] { "deviceId,deviceClass,birthCertificateSha256" }.Concat(births.Select(b => $"{b.Key},{DeviceClass},{Convert.ToHexStringLower(SHA256.HashData(b.Value.RawData))}")));
        var imported = _gateway.Cli("devices", "import", file);
        Assert.AreEqual(0, imported.ExitCode, imported.Output + imported.Error);
        return births;
    }

    /// <summary>Provisions one device over <paramref name="console"/> (its console end is served by the device), commits and locks it.</summary>
    public void Provision(IByteChannel console, X509Certificate2 birth, int heartbeatIntervalSeconds)
    {
        var client = new ProvisioningConsoleClient(new ConsoleClientSession(console));
        client.Hello();
        var info = client.GetInfo();
        Assert.AreEqual(LifecycleState.Unprovisioned, info.Lifecycle);
        using var key = birth.GetECDsaPrivateKey()!;
        client.WriteBirthCertificate(birth.RawData);
        client.WriteBirthKey(key.ExportPkcs8PrivateKey());
        client.WriteTrustAnchors(new TrustAnchorList([
            new TrustAnchor(TrustAnchorKind.GatewayRoot, _root.RawData, "root-1"u8.ToArray()),
            new TrustAnchor(TrustAnchorKind.OtaSigningKey, _otaKey, "ota-1"u8.ToArray()),
        ]));
        client.WriteConfiguration(new ProvisioningConfiguration(DeviceClass, "127.0.0.1", _gateway.EstPort, _gateway.BrokerPort, heartbeatIntervalSeconds));
        client.Commit();
        client.Lock(info.HardwareId);
    }

    /// <summary>Provisions a board's flash while it is powered for provisioning only (the console served on a thread), as a factory fixture does before the first real boot.</summary>
    public void ProvisionOffline(string flashDirectory, X509Certificate2 birth, int heartbeatIntervalSeconds)
    {
        Directory.CreateDirectory(flashDirectory);
        var flash = new DirectoryFlashStore(flashDirectory, SimulatedDevice.DefaultFlashBytes);
        var platform = new DesktopPlatform(SimulatorFirmware.HardwareIdFor(flashDirectory));
        var log = NullDeviceLog.Instance;
        var target = new FlashProvisioningTarget(flash, platform, new LifecycleMachine(flash, log), SimulatorFirmware.Facts(), log);
        target.RecoverAfterBoot();
        var line = new SerialLine();
        var console = new ConsoleService(line.Device, target, log);
        var thread = new Thread(console.Run) { IsBackground = true };
        thread.Start();
        try
        {
            Provision(line.Tool, birth, heartbeatIntervalSeconds);
        }
        finally
        {
            console.Stop();
            thread.Join(TimeSpan.FromSeconds(5));
        }
    }

    private X509Certificate2 Birth(string deviceId)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + deviceId, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.2")], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(_root, true, false));
        var serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        using var issued = request.Create(_root.SubjectName, X509SignatureGenerator.CreateForECDsa(_rootKey), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddYears(1), serial);
        return issued.CopyWithPrivateKey(key);
    }
}
