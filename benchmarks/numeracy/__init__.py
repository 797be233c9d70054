"""Numeracy experiment: does TST help a small transformer learn arithmetic? (docs/numeracy.md)

Run ``python -m benchmarks.numeracy run --config cpu --seed 0``.
"""

import os

# Set before torch and tokenizers start their thread pools. The machine's cores may be shared:
# idle OpenMP workers must sleep rather than spin (spinning made 2-thread steps 5x slower under
# contention), and tokenizers' own pool must not compete with torch's threads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
