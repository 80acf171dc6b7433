//! Which agents are in which cell: intrusive doubly linked lists, one per cell,
//! threaded through per-agent `next`/`prev` arrays (structure of arrays; no
//! allocation per move). Insertion is at the head, so the order of a cell's list
//! is a deterministic function of the order of moves.

pub const NONE: u32 = u32::MAX;

#[derive(Clone, Debug)]
pub struct CellLists {
    head: Vec<u32>,
    next: Vec<u32>,
    prev: Vec<u32>,
    len: Vec<u16>,
}

impl CellLists {
    pub fn new(cells: usize, agents: usize) -> Self {
        CellLists { head: vec![NONE; cells], next: vec![NONE; agents], prev: vec![NONE; agents], len: vec![0; cells] }
    }

    /// Make room for agents with ids below `agents` (ids are never reused).
    pub fn grow_agents(&mut self, agents: usize) {
        if agents > self.next.len() {
            self.next.resize(agents, NONE);
            self.prev.resize(agents, NONE);
        }
    }

    #[inline]
    pub fn insert(&mut self, cell: u32, agent: u32) {
        let h = self.head[cell as usize];
        self.next[agent as usize] = h;
        self.prev[agent as usize] = NONE;
        if h != NONE {
            self.prev[h as usize] = agent;
        }
        self.head[cell as usize] = agent;
        self.len[cell as usize] += 1;
    }

    #[inline]
    pub fn remove(&mut self, cell: u32, agent: u32) {
        let (p, n) = (self.prev[agent as usize], self.next[agent as usize]);
        if p != NONE {
            self.next[p as usize] = n;
        } else {
            debug_assert_eq!(self.head[cell as usize], agent, "agent {agent} not in cell {cell}");
            self.head[cell as usize] = n;
        }
        if n != NONE {
            self.prev[n as usize] = p;
        }
        self.next[agent as usize] = NONE;
        self.prev[agent as usize] = NONE;
        self.len[cell as usize] -= 1;
    }

    #[inline]
    pub fn move_agent(&mut self, from: u32, to: u32, agent: u32) {
        self.remove(from, agent);
        self.insert(to, agent);
    }

    /// Number of agents in `cell`.
    #[inline(always)]
    pub fn count(&self, cell: u32) -> u16 {
        self.len[cell as usize]
    }

    /// The agents in `cell`, most recently arrived first.
    #[inline]
    pub fn iter(&self, cell: u32) -> CellIter<'_> {
        CellIter { lists: self, cur: self.head[cell as usize] }
    }
}

pub struct CellIter<'a> {
    lists: &'a CellLists,
    cur: u32,
}

impl Iterator for CellIter<'_> {
    type Item = u32;
    #[inline]
    fn next(&mut self) -> Option<u32> {
        if self.cur == NONE {
            None
        } else {
            let a = self.cur;
            self.cur = self.lists.next[a as usize];
            Some(a)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any sequence of moves keeps every agent in exactly one list, the one of
        /// its position.
        #[test]
        fn moves_keep_lists_consistent(moves in proptest::collection::vec((0u32..20, 0u32..9), 0..300)) {
            let (cells, agents) = (9usize, 20usize);
            let mut l = CellLists::new(cells, agents);
            let mut pos: Vec<u32> = (0..agents as u32).map(|a| a % cells as u32).collect();
            for a in 0..agents as u32 { l.insert(pos[a as usize], a); }
            for (a, to) in moves {
                l.move_agent(pos[a as usize], to, a);
                pos[a as usize] = to;
            }
            let mut seen = vec![0; agents];
            for c in 0..cells as u32 {
                let members: Vec<u32> = l.iter(c).collect();
                prop_assert_eq!(members.len(), l.count(c) as usize);
                for a in members { prop_assert_eq!(pos[a as usize], c); seen[a as usize] += 1; }
            }
            prop_assert!(seen.iter().all(|&s| s == 1));
        }
    }
}
