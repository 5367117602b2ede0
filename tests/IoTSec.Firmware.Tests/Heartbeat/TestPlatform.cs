using System.Security.Cryptography;
using IoTSec.Firmware.Heartbeat;
using IoTSec.Firmware.Commands;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Heartbeat;
using IoTSec.Protocol.Topics;

namespace IoTSec.Firmware.Tests.Heartbeat;

/// <summary>
/// A tiny stand-in for the desktop device platform (another helper's component, not in this
/// worktree yet): board name, hardware id, .NET's random source, the portable digests, and a
/// reboot that throws <see cref="DeviceRebootException"/> as the desktop layer's does.
/// </summary>
internal sealed class TestPlatform : IDevicePlatform
{
    public byte[] HardwareId { get; } = [0x24, 0x6f, 0x28, 0x01, 0x02, 0x03];

    public string BoardName => "desktop-sim";

    public IDigestProvider Digests => PortableDigests.Instance;

    public int Reboots { get; private set; }

    public void GetRandomBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);

    public void Reboot()
    {
        Reboots++;
        throw new DeviceRebootException("reboot command");
    }
}

/// <summary>What the heartbeat reports, set by the test (the OTA area implements it on a device).</summary>
internal sealed class TestStatus : IHeartbeatStatusSource
{
    public string FirmwareVersion { get; set; } = "1.4.2";

    public byte[] FirmwareDigest { get; set; } = Filled(0x11);

    public FirmwareSlot ActiveSlot { get; set; } = FirmwareSlot.A;

    public byte[] ConfigurationDigest { get; set; } = Filled(0x22);

    public PostureFlags PostureFlags { get; set; }

    public uint LastOtaRefusal { get; set; }

    public static byte[] Filled(byte value)
    {
        var bytes = new byte[32];
        System.Array.Fill(bytes, value);
        return bytes;
    }
}

/// <summary>The other areas' share of commands, recorded (the enrolment and lifecycle areas implement it on a device).</summary>
internal sealed class TestActions : ICommandActions
{
    public int ReEnrolments { get; private set; }

    public int KeyRefreshes { get; private set; }

    public int Decommissions { get; private set; }

    public CommandResult KeyRefreshResult { get; set; } = CommandResult.Ok;

    public CommandResult ReEnrol()
    {
        ReEnrolments++;
        return CommandResult.Ok;
    }

    public CommandResult RefreshHeartbeatKey()
    {
        KeyRefreshes++;
        return KeyRefreshResult;
    }

    public void Decommission() => Decommissions++;
}

/// <summary>The device log into the test output, collected for assertions that nothing secret is logged.</summary>
internal sealed class TestLog : IDeviceLog
{
    private readonly System.Collections.Concurrent.ConcurrentQueue<string> _lines = new();

    public string Text => string.Join("\n", _lines);

    public void Write(string message) => _lines.Enqueue(message);
}
