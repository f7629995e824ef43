"""A three-node OpenSearch cluster on loopback, to test that lookups survive a node's death.

Each node is the harness's `OpenSearch` node with cluster settings added; the nodes find one
another through their fixed transport ports. Used by tests/search/test_cluster.py
(`make test-cluster`); ports 9401-9403 (HTTP) and 9411-9413 (transport) unless told otherwise.
"""

from __future__ import annotations

import json
import shutil
import signal
import tempfile
import urllib.request
from pathlib import Path
from urllib.parse import urlencode

from .base import START_TIMEOUT, port_open, wait_until
from .servers import OpenSearch

CLUSTER_NAME = "anxin-cluster"


class ClusterNode(OpenSearch):
    """One node of `Cluster`; its data folder outlives a kill so that it can rejoin."""

    heap = "256m"

    def __init__(self, number: int, http_port: int, transport_ports: list[int], home: Path):
        super().__init__(data_dir=home)
        self.name = f"OpenSearch node {number}"
        self.node_name = f"anxin-{number}"
        self.port, self.url = http_port, f"http://127.0.0.1:{http_port}"
        self.transport_port = transport_ports[number - 1]
        self.seed_hosts = ",".join(f"127.0.0.1:{port}" for port in transport_ports)
        self.all_nodes = ",".join(f"anxin-{n}" for n in range(1, len(transport_ports) + 1))

    def node_settings(self) -> list[str]:
        return [
            f"cluster.name={CLUSTER_NAME}",
            f"node.name={self.node_name}",
            f"transport.port={self.transport_port}",
            "discovery.type=zen",
            f"discovery.seed_hosts={self.seed_hosts}",
            f"cluster.initial_cluster_manager_nodes={self.all_nodes}",
        ]

    def answers(self) -> bool:
        """Listening is enough: the cluster's health needs the other nodes, started after."""
        return port_open(self.host, self.port)

    def kill(self) -> None:
        """Die as a machine does: SIGKILL, no clean shutdown."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait()


class Cluster:
    """Three nodes started together; `urls` is the comma-separated `SEARCH_URL` for them."""

    def __init__(self, http_ports=(9401, 9402, 9403), transport_ports=(9411, 9412, 9413)):
        self.home = Path(tempfile.mkdtemp(prefix="anxin-cluster-"))
        self.nodes = [
            ClusterNode(n, port, list(transport_ports), self.home / f"node-{n}")
            for n, port in enumerate(http_ports, start=1)
        ]
        self.urls = ",".join(node.url for node in self.nodes)

    def _ask(self, path: str):
        """The JSON answer of the first live node to `path`, or None if none answers."""
        for node in self.nodes:
            try:
                with urllib.request.urlopen(node.url + path, timeout=START_TIMEOUT) as response:
                    return json.load(response)
            except OSError:
                continue
        return None

    def health(self, **params: str) -> dict | None:
        """The cluster's health as any live node reports it, or None if none answers."""
        return self._ask("/_cluster/health?" + urlencode(params))

    def primary_holder(self, index: str) -> ClusterNode:
        """The node holding the primary shard of `index` (a name or an alias): the worst one
        to lose."""
        shards = self._ask(f"/_cat/shards/{index}?format=json")
        name = next(shard["node"] for shard in shards if shard["prirep"] == "p")
        return next(node for node in self.nodes if node.node_name == name)

    def wait_for(self, status: str, timeout: float = START_TIMEOUT) -> None:
        def reached() -> bool:
            health = self.health(wait_for_status=status, timeout="5s")
            return bool(health) and not health["timed_out"]

        wait_until(reached, timeout, f"the cluster ({status})")

    def up(self) -> None:
        self.nodes[0].install()
        for node in self.nodes:
            node.workdir = node.data_dir
            node.workdir.mkdir(parents=True, exist_ok=True)
            node.start()
        self.wait_for("green")

    def down(self) -> None:
        for node in self.nodes:
            node.down()
        shutil.rmtree(self.home, ignore_errors=True)
