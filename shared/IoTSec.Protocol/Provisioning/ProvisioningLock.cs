namespace IoTSec.Protocol.Provisioning
{
    /// <summary>Whether the provisioning console still accepts writes (wire values of the Info answer).</summary>
    public enum ProvisioningLock : byte
    {
        /// <summary>Writes, commit, lock and factory reset are accepted (subject to the other rules).</summary>
        Unlocked = 0,

        /// <summary>
        /// Writes, commit, lock and factory reset are refused with
        /// <see cref="Console.ConsoleStatus.Locked"/>; only the physical rework path
        /// (see <see cref="DeviceInfo.ReworkMode"/>) reopens the device, by a factory reset.
        /// </summary>
        Locked = 1,
    }
}
