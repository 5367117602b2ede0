using System.Security.Cryptography;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>A simulated board: a fixed hardware id (an ESP32 MAC), the portable digests, a reboot that throws.</summary>
internal sealed class TestPlatform : IDevicePlatform
{
    public static readonly byte[] MacAddress = [0x24, 0x6F, 0x28, 0xA1, 0xB2, 0xC4];

    public const string HardwareIdText = "246F28A1B2C4";

    public byte[] HardwareId => (byte[])MacAddress.Clone();

    public string BoardName => "esp32-devkitc";

    public IDigestProvider Digests => PortableDigests.Instance;

    public void GetRandomBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);

    public void Reboot() => throw new DeviceRebootException("reboot requested");
}
