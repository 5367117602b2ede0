using System;
using System.Security.Cryptography;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Firmware.Host.Platform;

/// <summary>
/// A simulated device's board: a hardware id, the operating system's CSPRNG for what the
/// device's hardware random source gives, the portable digests (what a device without a native
/// SHA-256 runs), and a reboot that throws <see cref="DeviceRebootException"/> for the runner.
/// </summary>
public sealed class DesktopPlatform(byte[] hardwareId, string boardName = "desktop") : IDevicePlatform
{
    /// <inheritdoc />
    public byte[] HardwareId { get; } = (byte[])(hardwareId ?? throw new ArgumentNullException(nameof(hardwareId))).Clone();

    /// <inheritdoc />
    public string BoardName { get; } = boardName;

    /// <inheritdoc />
    public IDigestProvider Digests => PortableDigests.Instance;

    /// <inheritdoc />
    public void GetRandomBytes(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        RandomNumberGenerator.Fill(buffer);
    }

    /// <inheritdoc />
    public void Reboot() => throw new DeviceRebootException("reboot requested");
}
