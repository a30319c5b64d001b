// One labelled bar per digit class showing the predicted probability; the top class is marked.
export class ProbabilityBars {
  readonly #rows: { bar: HTMLElement; value: HTMLElement; row: HTMLElement }[] = [];

  constructor(list: HTMLElement) {
    for (let digit = 0; digit < 10; digit++) {
      const row = document.createElement('li');
      row.innerHTML = `<span class="digit">${digit}</span><span class="track"><span class="bar"></span></span><span class="value">–</span>`;
      list.append(row);
      this.#rows.push({ row, bar: row.querySelector('.bar')!, value: row.querySelector('.value')! });
    }
  }

  /** Shows 10 probabilities; returns the most probable digit. */
  show(probabilities: ArrayLike<number>): number {
    let best = 0;
    for (let d = 1; d < 10; d++) if (probabilities[d] > probabilities[best]) best = d;
    this.#rows.forEach(({ row, bar, value }, d) => {
      const percent = probabilities[d] * 100;
      bar.style.width = `${percent.toFixed(1)}%`;
      value.textContent = `${percent.toFixed(1)}%`;
      row.classList.toggle('best', d === best);
      row.setAttribute('aria-label', `${d}: ${percent.toFixed(1)} percent`);
    });
    return best;
  }

  clear(): void {
    for (const { row, bar, value } of this.#rows) {
      bar.style.width = '0';
      value.textContent = '–';
      row.classList.remove('best');
      row.removeAttribute('aria-label');
    }
  }
}
