using System;
using System.Collections.Generic;

namespace IoTSec.Protocol.Tests.Console;

/// <summary>
/// One direction of a simulated serial line. Bytes written are cut into units at each
/// 0x00 delimiter; each unit then suffers the faults of a <see cref="LossProfile"/>, drawn
/// from a seeded <see cref="Random"/>, before it reaches the receiving <see cref="PipeEnd"/>.
/// </summary>
internal sealed class LossyLink
{
    private readonly object _gate = new();
    private readonly PipeEnd _target;
    private readonly Random _random;
    private readonly List<byte> _partial = new();
    private byte[]? _held;

    public LossyLink(PipeEnd target, LossProfile profile, int seed)
    {
        _target = target;
        Profile = profile;
        _random = new Random(seed);
    }

    public LossProfile Profile { get; set; }

    public int Units { get; private set; }

    public int Dropped { get; private set; }

    public int Corrupted { get; private set; }

    public int Truncated { get; private set; }

    public int Duplicated { get; private set; }

    public int Reordered { get; private set; }

    public void Send(byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            for (int i = 0; i < count; i++)
            {
                byte b = buffer[offset + i];
                _partial.Add(b);
                if (b == 0)
                {
                    var unit = _partial.ToArray();
                    _partial.Clear();
                    Transmit(unit);
                }
            }
        }
    }

    private void Transmit(byte[] unit)
    {
        if (unit.Length == 1)
        {
            // A lone delimiter (the writer's leading one): passed through, so fault rates
            // count frames rather than delimiters.
            _target.Deliver(unit);
            return;
        }

        Units++;
        var p = Profile;
        if (Chance(p.Drop))
        {
            Dropped++;
            return;
        }

        if (Chance(p.Corrupt))
        {
            Corrupted++;
            unit[_random.Next(unit.Length)] ^= (byte)(1 << _random.Next(8));
        }

        if (Chance(p.Truncate))
        {
            Truncated++;
            unit = unit.AsSpan(0, _random.Next(unit.Length - 1)).ToArray();
        }

        bool duplicate = Chance(p.Duplicate);
        if (duplicate)
        {
            Duplicated++;
        }

        if (_held is null && Chance(p.Reorder))
        {
            Reordered++;
            _held = unit;
            return;
        }

        _target.Deliver(unit);
        if (duplicate)
        {
            _target.Deliver(unit);
        }

        if (_held is not null)
        {
            _target.Deliver(_held);
            _held = null;
        }
    }

    private bool Chance(double probability) => probability > 0 && _random.NextDouble() < probability;
}
