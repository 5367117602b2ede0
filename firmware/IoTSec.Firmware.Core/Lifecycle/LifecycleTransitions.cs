using IoTSec.Protocol.Provisioning;

namespace IoTSec.Firmware.Lifecycle
{
    /// <summary>
    /// The device lifecycle's one transition table (docs/firmware/lifecycle.md reproduces it):
    /// every allowed move is one row; a move that is not a row is refused. Kept as data, in
    /// one place, as Mender's client does, so that nobody adds a move inside a state's code.
    /// </summary>
    public static class LifecycleTransitions
    {
        // Rows of { from, to }, in the order of the table in docs/firmware/lifecycle.md.
        private static readonly byte[] Rows = new byte[]
        {
            // The provisioning console committed an identity.
            (byte)LifecycleState.Unprovisioned, (byte)LifecycleState.Provisioned,

            // EST enrolment returned an operational certificate.
            (byte)LifecycleState.Provisioned, (byte)LifecycleState.Enrolled,

            // Heartbeat key fetched and the first heartbeat acknowledged.
            (byte)LifecycleState.Enrolled, (byte)LifecycleState.Operating,

            // The operational certificate was lost or refused: enrol again with the birth certificate.
            (byte)LifecycleState.Enrolled, (byte)LifecycleState.Provisioned,
            (byte)LifecycleState.Operating, (byte)LifecycleState.Provisioned,

            // A verified OTA offer is being downloaded, or its image is in its trial boot.
            (byte)LifecycleState.Operating, (byte)LifecycleState.Updating,

            // Update confirmed, refused or reverted: back to normal work.
            (byte)LifecycleState.Updating, (byte)LifecycleState.Operating,

            // The gateway isolated the device after a failed posture check.
            (byte)LifecycleState.Enrolled, (byte)LifecycleState.Quarantined,
            (byte)LifecycleState.Operating, (byte)LifecycleState.Quarantined,
            (byte)LifecycleState.Updating, (byte)LifecycleState.Quarantined,

            // Released by the gateway, or remediated by an update it offers.
            (byte)LifecycleState.Quarantined, (byte)LifecycleState.Operating,
            (byte)LifecycleState.Quarantined, (byte)LifecycleState.Updating,

            // Retired by the decommission command.
            (byte)LifecycleState.Enrolled, (byte)LifecycleState.Decommissioned,
            (byte)LifecycleState.Operating, (byte)LifecycleState.Decommissioned,
            (byte)LifecycleState.Updating, (byte)LifecycleState.Decommissioned,
            (byte)LifecycleState.Quarantined, (byte)LifecycleState.Decommissioned,

            // Factory reset (console, physical access): the only way out of Decommissioned.
            (byte)LifecycleState.Provisioned, (byte)LifecycleState.Unprovisioned,
            (byte)LifecycleState.Enrolled, (byte)LifecycleState.Unprovisioned,
            (byte)LifecycleState.Operating, (byte)LifecycleState.Unprovisioned,
            (byte)LifecycleState.Updating, (byte)LifecycleState.Unprovisioned,
            (byte)LifecycleState.Quarantined, (byte)LifecycleState.Unprovisioned,
            (byte)LifecycleState.Decommissioned, (byte)LifecycleState.Unprovisioned,
        };

        /// <summary>Number of rows in the table.</summary>
        public static int Count
        {
            get { return Rows.Length / 2; }
        }

        /// <summary>The state a row moves from.</summary>
        /// <param name="row">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The source state.</returns>
        public static LifecycleState From(int row)
        {
            return (LifecycleState)Rows[row * 2];
        }

        /// <summary>The state a row moves to.</summary>
        /// <param name="row">0 to <see cref="Count"/> - 1.</param>
        /// <returns>The target state.</returns>
        public static LifecycleState To(int row)
        {
            return (LifecycleState)Rows[(row * 2) + 1];
        }

        /// <summary>Whether the table has the row <paramref name="from"/> → <paramref name="to"/>.</summary>
        /// <param name="from">The current state.</param>
        /// <param name="to">The wanted state.</param>
        /// <returns>True when the move is allowed.</returns>
        public static bool IsAllowed(LifecycleState from, LifecycleState to)
        {
            for (int i = 0; i < Rows.Length; i += 2)
            {
                if (Rows[i] == (byte)from && Rows[i + 1] == (byte)to)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>Whether <paramref name="value"/> is a defined state.</summary>
        /// <param name="value">A persisted byte.</param>
        /// <returns>True for 0 to 6.</returns>
        public static bool IsDefined(int value)
        {
            return value >= (int)LifecycleState.Unprovisioned && value <= (int)LifecycleState.Decommissioned;
        }

        /// <summary>The state's name (Enum.ToString on mscorlib v1 prints the number only).</summary>
        /// <param name="state">A state.</param>
        /// <returns>Its name.</returns>
        public static string NameOf(LifecycleState state)
        {
            switch (state)
            {
                case LifecycleState.Unprovisioned: return "Unprovisioned";
                case LifecycleState.Provisioned: return "Provisioned";
                case LifecycleState.Enrolled: return "Enrolled";
                case LifecycleState.Operating: return "Operating";
                case LifecycleState.Updating: return "Updating";
                case LifecycleState.Quarantined: return "Quarantined";
                case LifecycleState.Decommissioned: return "Decommissioned";
                default: return "State" + ((int)state).ToString();
            }
        }
    }
}
