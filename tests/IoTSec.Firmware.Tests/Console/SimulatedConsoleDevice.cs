using System;
using System.Threading;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using IoTSec.Firmware.Provisioning;
using IoTSec.Protocol.Provisioning;
using IoTSec.SerialConsole;

namespace IoTSec.Firmware.Tests.Console;

/// <summary>
/// A simulated device serving its provisioning console on a serial port, on its own thread,
/// with its flash in a directory. When a command reboots it (a power cut armed on
/// <see cref="PowerCut"/>), it boots again from the same flash, as hardware does: a new
/// target, <see cref="FlashProvisioningTarget.RecoverAfterBoot"/>, a new console session
/// (its replay cache lost); the serial port stays open, as the cable does.
/// </summary>
internal sealed class SimulatedConsoleDevice : IDisposable
{
    public const long FlashCapacity = 1 << 20;

    private readonly SerialPortChannel _port;
    private readonly string _flashDirectory;
    private readonly bool _reworkMode;
    private readonly Thread _thread;
    private readonly object _gate = new();
    private ConsoleService? _service;
    private bool _stopping;
    private int _boots;

    public SimulatedConsoleDevice(string portPath, string flashDirectory, bool reworkMode = false)
    {
        _port = new SerialPortChannel(portPath);
        _flashDirectory = flashDirectory;
        _reworkMode = reworkMode;
        _thread = new Thread(Loop) { IsBackground = true, Name = "simulated device console" };
        _thread.Start();
    }

    public PowerCut PowerCut { get; } = new();

    public TestLog Log { get; } = new();

    /// <summary>Boots so far (1 after the first).</summary>
    public int Boots => Volatile.Read(ref _boots);

    /// <summary>What stopped the device other than a reboot (a bug), or null.</summary>
    public Exception? Fault { get; private set; }

    /// <summary>The console service of the current boot.</summary>
    public ConsoleService? Service
    {
        get
        {
            lock (_gate)
            {
                return _service;
            }
        }
    }

    /// <summary>The flash as the next boot sees it (no power cut armed on this view).</summary>
    public DirectoryFlashStore OpenFlash() => new(_flashDirectory, FlashCapacity);

    public ProvisionedIdentity? LoadIdentity() => new ProvisionedStore(OpenFlash(), new TestPlatform().Digests).Load();

    public static ProvisioningDeviceFacts Facts(bool reworkMode) =>
        new("1.4.2", new byte[32], HardeningState.Yes, HardeningState.No, HardeningState.Unknown, reworkMode);

    public void Dispose()
    {
        lock (_gate)
        {
            _stopping = true;
            _service?.Stop();
        }

        _thread.Join(TimeSpan.FromSeconds(10));
        _port.Dispose();
    }

    private void Loop()
    {
        while (true)
        {
            ConsoleService service;
            try
            {
                var flash = new DirectoryFlashStore(_flashDirectory, FlashCapacity, PowerCut);
                var target = new FlashProvisioningTarget(flash, new TestPlatform(), new TestLifecycle(flash), Facts(_reworkMode), Log);
                target.RecoverAfterBoot();
                service = new ConsoleService(_port, target, Log);
                lock (_gate)
                {
                    if (_stopping)
                    {
                        return;
                    }

                    _service = service;
                }

                Interlocked.Increment(ref _boots);
                service.Run();
                return;
            }
            catch (DeviceRebootException e)
            {
                Log.Write("device: " + e.Message + "; booting again");
            }
            catch (Exception e)
            {
                // Recorded, not swallowed: the tests assert there was none.
                Fault = e;
                Log.Write("device: stopped by " + e);
                return;
            }
        }
    }
}
