using System;
using System.IO;
using System.Security.Cryptography;
using IoTSec.Firmware.Provisioning;
using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Host.Simulation;

/// <summary>
/// What the simulated device reports about its firmware: the version of this assembly and the
/// SHA-256 of the firmware core assembly it runs (the desktop's "image"), so a gateway sees a
/// different digest when the core changes, as it would for a real image.
/// </summary>
public static class SimulatorFirmware
{
    private static readonly Lazy<byte[]> CoreDigest = new(() =>
    {
        var path = typeof(IoTSec.Firmware.Device.DeviceRuntime).Assembly.Location;
        return string.IsNullOrEmpty(path) || !File.Exists(path)
            ? SHA256.HashData("IoTSec simulated firmware"u8)
            : SHA256.HashData(File.ReadAllBytes(path));
    });

    /// <summary>The reported version, for example "1.0.0-sim".</summary>
    public static string Version { get; } =
        (typeof(SimulatorFirmware).Assembly.GetName().Version ?? new Version(1, 0, 0)).ToString(3) + "-sim";

    /// <summary>
    /// The simulator's facts: hardening is Unknown (a desktop cannot claim secure boot, flash
    /// encryption or closed debug ports, and does not pretend to), no rework strap.
    /// </summary>
    public static ProvisioningDeviceFacts Facts() =>
        new(Version, (byte[])CoreDigest.Value.Clone(), HardeningState.Unknown, HardeningState.Unknown, HardeningState.Unknown, reworkMode: false);

    /// <summary>A stable hardware id for a simulated board: 8 bytes of SHA-256 of its flash directory's full path.</summary>
    public static byte[] HardwareIdFor(string flashDirectory) =>
        SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Path.GetFullPath(flashDirectory)))[..8];

}
