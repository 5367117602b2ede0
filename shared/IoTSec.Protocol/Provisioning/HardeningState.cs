namespace IoTSec.Protocol.Provisioning
{
    /// <summary>
    /// The answer to one platform-hardening question (secure boot enabled? flash encryption
    /// enabled? debug ports disabled?). Three states because not every board can tell: an
    /// STM32 running nanoFramework has no API for its readout protection level, for instance.
    /// Unknown is zero so that a field a firmware forgets to fill in never reads as Yes.
    /// </summary>
    public enum HardeningState : byte
    {
        /// <summary>The platform cannot report this; treat it as not hardened.</summary>
        Unknown = 0,

        /// <summary>The platform reports the protection in force.</summary>
        Yes = 1,

        /// <summary>The platform reports the protection not in force.</summary>
        No = 2,
    }
}
