namespace IoTSec.Protocol.Heartbeat
{
    /// <summary>The A/B firmware slot the device booted from; its wire value is the enum value.</summary>
    public enum FirmwareSlot
    {
        /// <summary>Slot A (wire value 0).</summary>
        A = 0,

        /// <summary>Slot B (wire value 1).</summary>
        B = 1,
    }
}
