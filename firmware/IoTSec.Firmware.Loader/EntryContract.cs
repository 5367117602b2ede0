namespace IoTSec.Firmware.Loader
{
    /// <summary>
    /// What the loader expects of a bundle's entry type (IoTSec.Firmware.Nano.DeviceApplication):
    /// a public static, parameterless method of this name that runs the application and returns
    /// only when it ends (the loader then restarts the device).
    /// </summary>
    internal static class EntryContract
    {
        internal const string StartMethodName = "Start";
    }
}
