namespace IoTSec.Firmware.Ota
{
    /// <summary>What <see cref="UpdateAgent"/> did with an OTA offer.</summary>
    public enum OfferOutcome
    {
        /// <summary>The image was written and verified, the slot marked pending; the device reboots into the trial (on hardware the call does not return).</summary>
        Installed = 0,

        /// <summary>Refused; <see cref="OtaStatus.LastRefusal"/> holds the reason and nothing reached the active slot.</summary>
        Refused = 1,

        /// <summary>The download stopped on a network error; the next offer or <see cref="UpdateAgent.ResumeAfterBoot"/> resumes it.</summary>
        Interrupted = 2,

        /// <summary>A pending or trial image exists: offers wait until it is confirmed or reverted.</summary>
        Busy = 3,

        /// <summary>No image is installed (the slot state is empty): nothing to compare an offer against.</summary>
        NoInstalledImage = 4,

        /// <summary>Nothing to do (no download to resume).</summary>
        Idle = 5,
    }
}
