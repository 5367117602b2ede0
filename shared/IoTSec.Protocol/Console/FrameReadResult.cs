namespace IoTSec.Protocol.Console
{
    /// <summary>What one <see cref="FrameReader.Read"/> call produced.</summary>
    public enum FrameReadResult : byte
    {
        /// <summary>A valid frame; see <see cref="FrameReader.Frame"/>.</summary>
        Frame = 1,

        /// <summary>No complete frame arrived in time.</summary>
        Timeout = 2,

        /// <summary>A delimited frame was malformed or oversize and was dropped; see <see cref="FrameReader.LastRejection"/>.</summary>
        Rejected = 3,
    }
}
