#if NET
// Compiled by the firmware tests too.
#nullable disable
#endif

namespace IoTSec.Firmware.Nano
{
    /// <summary>
    /// The last few publish outcomes M2Mqtt reported, by message id, so that a publisher can
    /// look its own up whether the acknowledgement came before or after it started waiting.
    /// Bounded: a broker that acknowledges ids nobody waits for only overwrites old entries.
    /// </summary>
    public sealed class PublishAcknowledgements
    {
        /// <summary>No outcome recorded for the id (yet).</summary>
        public const int Pending = 0;

        /// <summary>The broker acknowledged the message.</summary>
        public const int Published = 1;

        /// <summary>M2Mqtt gave up on the message after its retries.</summary>
        public const int Failed = 2;

        private const int Capacity = 8;

        private readonly object _gate = new object();
        private readonly int[] _ids = new int[Capacity];
        private readonly int[] _outcomes = new int[Capacity];
        private int _next;

        /// <summary>Creates an empty record.</summary>
        public PublishAcknowledgements()
        {
            for (int i = 0; i < Capacity; i++)
            {
                _ids[i] = -1;
            }
        }

        /// <summary>Records what happened to message <paramref name="messageId"/> (called on M2Mqtt's thread).</summary>
        /// <param name="messageId">The MQTT packet identifier.</param>
        /// <param name="published">Whether the broker acknowledged it.</param>
        public void Record(ushort messageId, bool published)
        {
            lock (_gate)
            {
                _ids[_next] = messageId;
                _outcomes[_next] = published ? Published : Failed;
                _next = (_next + 1) % Capacity;
            }
        }

        /// <summary>Returns and forgets the outcome of <paramref name="messageId"/>.</summary>
        /// <param name="messageId">The MQTT packet identifier.</param>
        /// <returns><see cref="Published"/>, <see cref="Failed"/> or <see cref="Pending"/>.</returns>
        public int Take(ushort messageId)
        {
            lock (_gate)
            {
                for (int i = 0; i < Capacity; i++)
                {
                    if (_ids[i] == messageId)
                    {
                        _ids[i] = -1;
                        return _outcomes[i];
                    }
                }

                return Pending;
            }
        }
    }
}
