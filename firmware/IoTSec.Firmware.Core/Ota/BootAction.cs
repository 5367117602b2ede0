namespace IoTSec.Firmware.Ota
{
    /// <summary>What the loader does at this boot (a row of <see cref="BootSelector"/>'s table).</summary>
    public enum BootAction
    {
        /// <summary>Run the confirmed image.</summary>
        RunActive = 0,

        /// <summary>Run the pending image as a trial: it must confirm before its attempts run out.</summary>
        RunTrial = 1,

        /// <summary>The pending image used up its attempts (or failed its check): it was dropped, run the confirmed image.</summary>
        RevertAndRunActive = 2,

        /// <summary>No verified image to run: the loader stays in its recovery mode (console only) and starts no application.</summary>
        NoImage = 3,
    }
}
