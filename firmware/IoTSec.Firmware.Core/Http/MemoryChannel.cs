using IoTSec.Firmware.Platform;

namespace IoTSec.Firmware.Http
{
    /// <summary>A channel over bytes already in memory, read in small pieces (parsing a stored response; fuzzing).</summary>
    internal sealed class MemoryChannel : ISecureChannel
    {
        private readonly byte[] _bytes;
        private int _position;

        public MemoryChannel(byte[] bytes)
        {
            _bytes = bytes;
        }

        public int Read(byte[] buffer, int offset, int count)
        {
            int take = _bytes.Length - _position;
            if (take > count)
            {
                take = count;
            }

            System.Array.Copy(_bytes, _position, buffer, offset, take);
            _position += take;
            return take;
        }

        public void Write(byte[] buffer, int offset, int count)
        {
            throw new NetworkException("a memory channel is read-only");
        }

        public void Close()
        {
        }
    }
}
