using System;
using System.IO;
using System.Threading;
using IoTSec.Firmware.Device;
using IoTSec.Firmware.Host.Platform;
using IoTSec.Firmware.Platform;
using IoTSec.Protocol.Console;
using IoTSec.Protocol.Crypto;

namespace IoTSec.Firmware.Host.Simulation;

/// <summary>
/// One simulated device: the real <see cref="DeviceRuntime"/> over a flash directory, SslStream
/// and MQTTnet, booted again in-process whenever the firmware reboots (the Reboot command, a
/// reverted trial, a crash, the end of a safe-mode hold), until cancelled.
/// </summary>
public sealed class SimulatedDevice
{
    /// <summary>The simulated flash size.</summary>
    public const long DefaultFlashBytes = 4L << 20;

    // A crash (an exception the firmware did not handle) restarts the board, as its watchdog
    // would; the pause keeps a crash loop from spinning until safe mode takes over.
    private static readonly TimeSpan CrashRestartDelay = TimeSpan.FromSeconds(1);

    private readonly object _gate = new();
    private DeviceRuntime? _current;
    private int _boots;

    /// <summary>Creates the device; nothing runs until <see cref="Run"/>.</summary>
    /// <param name="flashDirectory">The board's flash (created when missing).</param>
    /// <param name="log">Its log.</param>
    public SimulatedDevice(string flashDirectory, IDeviceLog log)
    {
        ArgumentException.ThrowIfNullOrEmpty(flashDirectory);
        FlashDirectory = Path.GetFullPath(flashDirectory);
        Log = log ?? throw new ArgumentNullException(nameof(log));
    }

    /// <summary>The board's flash directory.</summary>
    public string FlashDirectory { get; }

    /// <summary>The device's log.</summary>
    public IDeviceLog Log { get; }

    /// <summary>The board's name (hardware/boards profile), "desktop" by default.</summary>
    public string BoardName { get; init; } = "desktop";

    /// <summary>The provisioning console's port, kept open across reboots (the technician's cable); null: none.</summary>
    public IByteChannel? Console { get; init; }

    /// <summary>The runtime's tunables (null: hardware defaults).</summary>
    public DeviceRuntimeSettings? Settings { get; init; }

    /// <summary>Makes each boot's clock (null: the real one, <see cref="DesktopClock"/>); a test passes a <see cref="SimulatedClock"/> to move time.</summary>
    public Func<IDeviceClock>? ClockFactory { get; init; }

    /// <summary>The simulated flash size in bytes.</summary>
    public long FlashBytes { get; init; } = DefaultFlashBytes;

    /// <summary>The runtime of the current boot (null between boots).</summary>
    public DeviceRuntime? Current
    {
        get
        {
            lock (_gate)
            {
                return _current;
            }
        }
    }

    /// <summary>Boots so far in this process.</summary>
    public int Boots => Volatile.Read(ref _boots);

    /// <summary>Whether <paramref name="flashDirectory"/> holds a committed identity.</summary>
    public static bool IsProvisioned(string flashDirectory) =>
        Directory.Exists(flashDirectory) &&
        DeviceRuntime.IsProvisioned(new DirectoryFlashStore(flashDirectory, DefaultFlashBytes), PortableDigests.Instance);

    /// <summary>Resets the board from outside (the current boot ends with a reboot).</summary>
    public void Reboot(string reason) => Current?.RequestReboot(reason);

    /// <summary>Runs boot after boot until <paramref name="cancel"/> is signalled.</summary>
    public void Run(CancellationToken cancel)
    {
        Directory.CreateDirectory(FlashDirectory);
        var hardwareId = SimulatorFirmware.HardwareIdFor(FlashDirectory);
        using var stop = cancel.Register(() => Current?.Stop());
        while (!cancel.IsCancellationRequested)
        {
            using var link = new MqttNetLink();
            var services = new DeviceServices(
                new DirectoryFlashStore(FlashDirectory, FlashBytes),
                new DesktopPlatform(hardwareId, BoardName),
                ClockFactory?.Invoke() ?? new DesktopClock(),
                new SslStreamChannelFactory(),
                link,
                Log,
                SimulatorFirmware.Facts(),
                Console);
            var runtime = new DeviceRuntime(services, Settings);
            lock (_gate)
            {
                _current = runtime;
            }

            Interlocked.Increment(ref _boots);
            if (cancel.IsCancellationRequested)
            {
                break;
            }

            try
            {
                runtime.Run();
                return;
            }
            catch (DeviceRebootException e)
            {
                Log.Write("reboot: " + e.Message);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                Log.Write($"crash: {e.GetType().Name}: {e.Message}; restarting in {CrashRestartDelay.TotalSeconds:0} s");
                cancel.WaitHandle.WaitOne(CrashRestartDelay);
            }
            finally
            {
                lock (_gate)
                {
                    _current = null;
                }
            }
        }
    }
}
