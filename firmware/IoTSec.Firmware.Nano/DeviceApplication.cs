using IoTSec.Firmware.Nano.Boards;

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// The application's entry type, named in every application bundle (docs/protocols/app-bundle.md,
    /// EntryTypeName "IoTSec.Firmware.Nano.DeviceApplication"). The loader loads the bundle's
    /// assemblies with <c>Assembly.Load</c> and calls <see cref="Start"/> by reflection on its own
    /// thread; when Start returns or throws, the loader restarts the device, and an unconfirmed
    /// trial image is then reverted by the boot table after its attempts.
    /// </summary>
    public static class DeviceApplication
    {
        /// <summary>The name the loader looks the entry method up by.</summary>
        public const string EntryMethodName = "Start";

        /// <summary>
        /// Composes the device layer and runs the firmware core on it until the device restarts.
        /// </summary>
        public static void Start()
        {
            NanoDevice device = NanoDevice.ForThisBoard();
            device.Log.Write("IoTSec device layer up on " + device.Board.Name + " (" + device.Board.TargetName + ").");
            CoreRuntime.Run(device);
        }
    }
}
