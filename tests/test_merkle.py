"""RFC 6962 Merkle hashing against the Certificate Transparency known-answer vectors."""

from __future__ import annotations

import hashlib

import pytest

from service.signing.merkle import (
    consistency_proof,
    inclusion_proof,
    leaf_hash,
    node_hash,
    root,
    verify_consistency,
    verify_inclusion,
)

# Known-answer vectors of RFC 6962 trees, as used by Certificate Transparency implementations:
#  - google/certificate-transparency, cpp/merkletree/merkle_tree_test.cc (kInputs, kSHA256Roots,
#    kSHA256Paths, kSHA256Proofs; leaf numbers there are 1-based, converted to 0-based here);
#  - transparency-dev/merkle, testonly/constants.go (LeafInputs, NodeHashes, RootHashes) and
#    proof/verify_test.go (inclusionProofs, consistencyProofs, which add the 6→7 proof).

LEAVES = [
    bytes.fromhex(h)
    for h in [
        "",
        "00",
        "10",
        "2021",
        "3031",
        "40414243",
        "5051525354555657",
        "606162636465666768696a6b6c6d6e6f",
    ]
]

EMPTY_ROOT = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

ROOTS = [  # root of the tree of the first n leaves, n = 1..8
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
    "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
    "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
    "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
    "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
    "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
    "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
]

LEAF_HASHES = [  # NodeHashes()[0] of constants.go
    "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
    "0298d122906dcfc10892cb53a73992fc5b9f493ea4c9badb27b791b4127a7fe7",
    "07506a85fd9dd2f120eb694f86011e5bb4662e5c415a62917033d4a9624487e7",
    "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
    "4271a26be0d8a84f0bd54c8c302e7cb3a3b5d1fa6780a40bcce2873477dab658",
    "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
    "46f6ffadd3d06a09ff3c5860d2755c8b9819db7df44251788c7d8e3180de8eb1",
]

INCLUSION = [  # (0-based index, tree size, audit path)
    (0, 1, []),
    (
        0,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        5,
        8,
        [
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (2, 3, ["fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125"]),
    (
        1,
        5,
        [
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
]

CONSISTENCY = [  # (old size, new size, proof)
    (1, 1, []),
    (
        1,
        8,
        [
            "96a296d224f285c67bee93c30f8a309157f0daa35dc5b87e410b78630a09cfc7",
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "6b47aaf29ee3c2af9af889bc1fb9254dabd31177f16232dd6aab035ca39bf6e4",
        ],
    ),
    (
        6,
        8,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "ca854ea128ed050b41b35ffc1b87b8eb2bde461e9e3b5596ece6b9d5975a0ae0",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
    (
        2,
        5,
        [
            "5f083f0a1a33ca076a95279832580db3e0ef4584bdff1f54c8a360f50de3031e",
            "bc1a0643b12e4d2d7c77918f44e0f4f79a838b6cf9ec5b5c283e1f4d88599e6b",
        ],
    ),
    (
        6,
        7,
        [
            "0ebc5d3437fbe2db158b9f126a1d118e308181031d0a949f8dededebc558ef6a",
            "b08693ec2e721597130641e8211e7eedccb4c26413963eee6c1e2ed16ffb1a5f",
            "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        ],
    ),
]

SOME_HASH = bytes.fromhex("abacaba000000000000000000000000000000000000000000060061e00123456")


def _hashes(hexes: list[str]) -> list[bytes]:
    return [bytes.fromhex(h) for h in hexes]


def test_empty_tree_is_the_hash_of_nothing() -> None:
    assert root([]).hex() == EMPTY_ROOT == hashlib.sha256(b"").hexdigest()


@pytest.mark.parametrize("n", range(1, 9))
def test_root_vectors(n: int) -> None:
    assert root(LEAVES[:n]).hex() == ROOTS[n - 1]


def test_leaf_and_node_hashes() -> None:
    assert [leaf_hash(e).hex() for e in LEAVES] == LEAF_HASHES
    assert node_hash(leaf_hash(LEAVES[0]), leaf_hash(LEAVES[1])).hex() == ROOTS[1]


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_inclusion_proof_vectors(index: int, size: int, path: list[str]) -> None:
    proof = inclusion_proof(index, LEAVES[:size])
    assert proof == _hashes(path)
    assert verify_inclusion(LEAVES[index], index, size, proof, bytes.fromhex(ROOTS[size - 1]))


def _inclusion_probes(index, size, proof, root_hash, leaf):
    """Corruptions of a good inclusion proof, after transparency-dev's corruptInclusionProof."""
    yield "index - 1", (leaf, index - 1, size, proof, root_hash)
    yield "index + 1", (leaf, index + 1, size, proof, root_hash)
    yield "index ^ 2", (leaf, index ^ 2, size, proof, root_hash)
    yield "size * 2", (leaf, index, size * 2, proof, root_hash)
    yield "size // 2", (leaf, index, size // 2, proof, root_hash)
    yield "wrong leaf", (b"WrongLeaf", index, size, proof, root_hash)
    yield "empty root", (leaf, index, size, proof, bytes.fromhex(EMPTY_ROOT))
    yield "random root", (leaf, index, size, proof, SOME_HASH)
    yield "trailing garbage", (leaf, index, size, [*proof, b""], root_hash)
    yield "trailing root", (leaf, index, size, [*proof, root_hash], root_hash)
    yield "preceding garbage", (leaf, index, size, [b"", *proof], root_hash)
    yield "preceding root", (leaf, index, size, [root_hash, *proof], root_hash)
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 8]) + wrong[i][1:]
        yield f"flipped bit in proof[{i}]", (leaf, index, size, wrong, root_hash)
    if proof:
        yield "removed component", (leaf, index, size, proof[:-1], root_hash)
    if len(proof) > 1:
        yield (
            "inserted component",
            (leaf, index, size, [proof[0], SOME_HASH, *proof[1:]], root_hash),
        )


@pytest.mark.parametrize(("index", "size", "path"), INCLUSION)
def test_corrupted_inclusion_proofs_fail(index: int, size: int, path: list[str]) -> None:
    proof = _hashes(path)
    root_hash = bytes.fromhex(ROOTS[size - 1])
    accepted = [
        name
        for name, args in _inclusion_probes(index, size, proof, root_hash, LEAVES[index])
        if verify_inclusion(*args)
    ]
    assert accepted == []


def test_inclusion_needs_an_index_inside_the_tree() -> None:
    assert not verify_inclusion(b"", 0, 0, [], bytes.fromhex(EMPTY_ROOT))
    assert not verify_inclusion(b"", 1, 1, [], leaf_hash(b""))
    assert verify_inclusion(b"data", 0, 1, [], leaf_hash(b"data"))
    with pytest.raises(IndexError):
        inclusion_proof(8, LEAVES)


@pytest.mark.parametrize(("old", "new", "path"), CONSISTENCY)
def test_consistency_proof_vectors(old: int, new: int, path: list[str]) -> None:
    proof = consistency_proof(old, LEAVES[:new])
    assert proof == _hashes(path)
    old_root, new_root = bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1])
    assert verify_consistency(old, new, proof, old_root, new_root)


@pytest.mark.parametrize(("old", "new", "path"), [c for c in CONSISTENCY if c[2]])
def test_corrupted_consistency_proofs_fail(old: int, new: int, path: list[str]) -> None:
    proof = _hashes(path)
    r1, r2 = bytes.fromhex(ROOTS[old - 1]), bytes.fromhex(ROOTS[new - 1])
    probes = {
        "old - 1": (old - 1, new, proof, r1, r2),
        "old + 1": (old + 1, new, proof, r1, r2),
        "old ^ 2": (old ^ 2, new, proof, r1, r2),
        "new * 2": (old, new * 2, proof, r1, r2),
        "new // 2": (old, new // 2, proof, r1, r2),
        "wrong old root": (old, new, proof, b"WrongRoot", r2),
        "wrong new root": (old, new, proof, r1, b"WrongRoot"),
        "swapped roots": (old, new, proof, r2, r1),
        "empty proof": (old, new, [], r1, r2),
        "trailing garbage": (old, new, [*proof, b""], r1, r2),
        "trailing old root": (old, new, [*proof, r1], r1, r2),
        "trailing new root": (old, new, [*proof, r2], r1, r2),
        "preceding garbage": (old, new, [b"", *proof], r1, r2),
        "preceding old root": (old, new, [r1, *proof], r1, r2),
        "preceding new root": (old, new, [r2, *proof], r1, r2),
        "preceding proof[0]": (old, new, [proof[0], *proof], r1, r2),
        "truncated": (old, new, proof[:-1], r1, r2),
    }
    for i in range(len(proof)):
        wrong = list(proof)
        wrong[i] = bytes([wrong[i][0] ^ 16]) + wrong[i][1:]
        probes[f"flipped bit in proof[{i}]"] = (old, new, wrong, r1, r2)
    assert [name for name, args in probes.items() if verify_consistency(*args)] == []


def test_consistency_edge_cases() -> None:
    empty = bytes.fromhex(EMPTY_ROOT)
    assert verify_consistency(0, 0, [], b"r", b"r")
    assert verify_consistency(0, 1, [], b"r1", b"r2")
    assert not verify_consistency(0, 0, [], b"r1", b"r2")
    assert not verify_consistency(1, 1, [], b"r1", b"r2")
    assert not verify_consistency(1, 0, [], b"r1", b"r2")
    assert not verify_consistency(2, 1, [], b"r1", b"r2")
    assert not verify_consistency(1, 2, [], b"r1", b"r2")
    assert not verify_consistency(0, 0, [empty], empty, empty)
    assert not verify_consistency(0, 1, [empty], empty, empty)
    assert not verify_consistency(1, 1, [empty], empty, empty)
    assert consistency_proof(0, LEAVES) == [] == consistency_proof(8, LEAVES)


def test_every_leaf_of_trees_up_to_40_proves_its_inclusion() -> None:
    entries = [f"запись {i}".encode() * (i % 3 + 1) for i in range(40)]
    for size in range(1, 41):
        leaves = entries[:size]
        root_hash = root(leaves)
        for index in range(size):
            proof = inclusion_proof(index, leaves)
            assert verify_inclusion(leaves[index], index, size, proof, root_hash)
            assert not verify_inclusion(leaves[index] + b"!", index, size, proof, root_hash)
            if size > 1:
                other = (index + 1) % size
                assert not verify_inclusion(leaves[other], index, size, proof, root_hash)
        tampered = list(leaves)
        tampered[size // 2] = b"tampered"
        assert root(tampered) != root_hash


def test_every_prefix_of_trees_up_to_40_is_consistent() -> None:
    entries = [i.to_bytes(2, "big") for i in range(40)]
    roots = [root(entries[:n]) for n in range(41)]
    for new in range(1, 41):
        for old in range(0, new + 1):
            proof = consistency_proof(old, entries[:new])
            assert verify_consistency(old, new, proof, roots[old], roots[new])
            if 0 < old < new:
                forged = root([*entries[: old - 1], b"forged"])
                assert not verify_consistency(old, new, proof, forged, roots[new])
