using System;
using System.IO;
using System.Security.Cryptography;
using System.Threading;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Provisioning;
using IoTSec.Firmware.Tests.Console;
using IoTSec.Protocol.Crypto;
using IoTSec.Protocol.Provisioning;
using IoTSec.SerialConsole;

namespace IoTSec.Provision.Tests;

/// <summary>
/// One unit on the factory line: like <see cref="SimulatedConsoleDevice"/> (the firmware
/// core's ConsoleService over FlashProvisioningTarget on a DirectoryFlashStore, served on a
/// serial port on its own thread) but with its own hardware id and the hardening it reports,
/// so a batch can meet several distinct units, hardened or not.
/// </summary>
internal sealed class LineUnit : IDisposable
{
    private readonly SerialPortChannel _port;
    private readonly ConsoleService _service;
    private readonly Thread _thread;
    private readonly string _flash;
    private readonly UnitPlatform _platform;

    public LineUnit(string portPath, string flashDirectory, byte lastMacByte, bool hardened)
    {
        _flash = flashDirectory;
        Directory.CreateDirectory(_flash);
        _platform = new UnitPlatform([0x24, 0x6F, 0x28, 0x00, 0x00, lastMacByte]);
        HardwareId = Convert.ToHexString(_platform.HardwareId);
        HardeningState state = hardened ? HardeningState.Yes : HardeningState.No;
        var flash = new DirectoryFlashStore(_flash, SimulatedConsoleDevice.FlashCapacity);
        var target = new FlashProvisioningTarget(flash, _platform, new TestLifecycle(flash), new ProvisioningDeviceFacts("1.4.2", new byte[32], state, state, state, false), Log);
        target.RecoverAfterBoot();
        _port = new SerialPortChannel(portPath);
        _service = new ConsoleService(_port, target, Log);
        _thread = new Thread(_service.Run) { IsBackground = true, Name = "line unit " + HardwareId };
        _thread.Start();
    }

    public string HardwareId { get; }

    public TestLog Log { get; } = new();

    public ProvisionedIdentity? LoadIdentity() =>
        new ProvisionedStore(new DirectoryFlashStore(_flash, SimulatedConsoleDevice.FlashCapacity), _platform.Digests).Load();

    public void Dispose()
    {
        _service.Stop();
        _thread.Join(TimeSpan.FromSeconds(10));
        _port.Dispose();
    }

    private sealed class UnitPlatform(byte[] mac) : IDevicePlatform
    {
        public byte[] HardwareId => (byte[])mac.Clone();

        public string BoardName => "esp32-devkitc";

        public IDigestProvider Digests => PortableDigests.Instance;

        public void GetRandomBytes(byte[] buffer) => RandomNumberGenerator.Fill(buffer);

        public void Reboot() => throw new DeviceRebootException("reboot requested");
    }
}
