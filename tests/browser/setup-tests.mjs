/**
 * Browser tests of the Setup view's first-visit path and its explanations: the quick
 * comparison (a button shown while no runs exist, with a duration estimate from a probe)
 * queues Uniform, BestUp-3 and WorstUp-3 without the noise floor on the quick space; the
 * method notes sit next to their fields, cite the paper, and k and the estimator are hidden
 * where they do nothing. They check wiring with tiny budgets, not accuracy or speed
 * (`npm run measure:quick-comparison` measures those). run.mjs passes its helpers in.
 */
import { assert, launchBrowser } from './harness.mjs';

export function setupTests({ openStudio, fillForm, tiny }) {
  const shown = async (page, selector) => (await page.locator(selector).count()) > 0 && (await page.locator(selector).first().isVisible());
  return [
    [
      'setup explains the sandwich rule, the samplers, the prior, the estimator and BN recalibration, and hides k and the estimator under Uniform',
      async () => {
        // a browser of its own: the runs it starts must not show up in the other tests' Runs view
        const own = await launchBrowser({ webgpu: false });
        try {
          const page = await openStudio(own.context, '?backend=wasm');
          const text = (await page.locator('.setup').textContent()) ?? '';
          assert(/sandwich rule/.test(text) && /largest subnet, the smallest/.test(text), 'the sandwich rule is explained on Setup');
          assert(
            /Wang et al\., “AttentiveNAS: Improving Neural Architecture Search via Attentive Sampling”, CVPR 2021/.test(text),
            'the paper is cited',
          );
          assert(
            /BN recalibration/.test(await page.locator('[data-testid=note-bn]').textContent()),
            'BN recalibration is explained by the evaluation settings',
          );
          // Uniform ranks no candidates: no k, no estimator, no prior notes
          assert(
            !(await shown(page, 'input[name=k]')) && !(await shown(page, 'select[name=estimator]')),
            'k and the estimator are hidden under Uniform',
          );
          assert(!(await shown(page, '[data-testid=note-attentive]')), 'no FLOPs-prior notes under Uniform');
          await fillForm(page, { sampler: 'bestup' });
          assert(
            (await shown(page, 'input[name=k]')) && (await shown(page, 'select[name=estimator]')),
            'k and the estimator show under BestUp',
          );
          const attentive = (await page.locator('[data-testid=note-attentive]').textContent()) ?? '';
          assert(
            /FLOPs prior/.test(attentive) && /conditional sampler/.test(attentive),
            `the prior and the conditional sampler are explained: ${attentive}`,
          );
          const hint = async () => (await page.locator('.setup .form').nth(1).textContent()) ?? '';
          assert(/ranks best/.test(await hint()) && /minibatch/.test(await hint()), 'BestUp and the loss estimator are explained');
          assert(!(await shown(page, 'select[name=predictorKind]')), 'no predictor model to choose under the loss estimator');
          await fillForm(page, { sampler: 'worstup', estimator: 'predictor' });
          assert(
            /ranks worst/.test(await hint()) && /accuracy predictor fitted/.test(await hint()),
            'WorstUp and the predictor are explained',
          );
          // the predictor's model is chosen under the predictor estimator, and the link carries it
          await fillForm(page, { predictorKind: 'forest' });
          assert(/Kendall tau/.test(await hint()), 'the predictor models are explained with their measured tau');
          await page.waitForFunction(() => /[?&]predictorKind=forest/.test(location.search));
          assert(/[?&]dropConnect=0\.2(&|$)/.test(page.url()), `the link carries drop-connect: ${page.url()}`);

          // first visit: the quick comparison with its estimate, before anything has run
          const quick = page.locator('[data-testid=quick-comparison]');
          assert(await quick.isVisible(), 'the quick comparison is offered on a first visit');
          await page.locator('[data-testid=quick-estimate][data-seconds]').waitFor({ timeout: 120_000 });
          const quickSeconds = Number(await page.locator('[data-testid=quick-estimate]').getAttribute('data-seconds'));
          await page.locator('[data-testid=estimate][data-run-seconds]').waitFor({ timeout: 120_000 });
          const estimate = (await page.locator('[data-testid=estimate]').textContent()) ?? '';
          console.log(
            `     quick comparison estimate: ${await page.locator('[data-testid=quick-estimate]').textContent()}; the form's: ${estimate}`,
          );
          assert(quickSeconds > 10 && quickSeconds < 3600, `a plausible estimate for the quick comparison: ${quickSeconds} s`);
          assert(
            /Start: about .*Compare: about .*\(4 runs\), from a short probe/.test(estimate),
            `the form's estimate names both and its source: ${estimate}`,
          );
          const stored = await page.evaluate(() => Object.keys(JSON.parse(localStorage.getItem('nas-studio/speeds') ?? '{}')));
          assert(stored.includes('wasm|quick|128'), `the probe's speed is kept per backend, space and batch: ${stored}`);

          await quick.click();
          await page.locator('[data-testid=compare-view]').waitFor({ timeout: 10_000 });
          const runs = await page.locator('[data-testid=compare-run]').evaluateAll((els) => els.map((e) => e.getAttribute('data-name')));
          assert(
            runs.join(',') === 'Uniform,BestUp-3 (loss),WorstUp-3 (loss)',
            `the quick comparison queues three runs and no noise floor: ${runs}`,
          );
          await page.getByRole('button', { name: 'Setup', exact: true }).click();
          const form = await page.evaluate(() =>
            Object.fromEntries(
              [...document.querySelectorAll('input[name], select[name]')].map((e) => [e.name, e.type === 'checkbox' ? e.checked : e.value]),
            ),
          );
          assert(
            form.space === 'quick' && form.augment === false && form.noiseFloor === false && form.learningRate === '0.6',
            `the form shows the quick settings: ${JSON.stringify(form)}`,
          );
          assert(!(await shown(page, '[data-testid=quick-start]')), 'the first-visit panel is gone once runs exist');
          await page.close();
        } finally {
          await own.close();
        }
      },
    ],
    [
      'a comparison without the noise floor trains the three samplers and shows their box plots',
      async () => {
        const page = await openStudio();
        await fillForm(page, {
          ...tiny,
          backend: 'wasm',
          stepsPerEpoch: 2,
          ranges: 2,
          perRange: 2,
          sampler: 'bestup',
          k: 3,
          noiseFloor: false,
          augment: false,
        });
        await page.getByRole('button', { name: 'Compare samplers' }).click();
        await page.locator('[data-testid=compare-view]').waitFor({ timeout: 10_000 });
        await page.waitForFunction(
          () => {
            const runs = [...document.querySelectorAll('[data-testid=compare-run]')];
            return runs.length === 3 && runs.every((r) => /^(done|failed|stopped)$/.test(r.getAttribute('data-phase')));
          },
          null,
          { polling: 1000, timeout: 300_000 },
        );
        const runs = await page
          .locator('[data-testid=compare-run]')
          .evaluateAll((els) => els.map((e) => `${e.getAttribute('data-name')}:${e.getAttribute('data-phase')}`));
        assert(runs.join(',') === 'Uniform:done,BestUp-3 (loss):done,WorstUp-3 (loss):done', `runs: ${runs}`);
        const plot = page.locator('[data-testid=compare-view] [data-testid=boxplot]');
        assert((await plot.getAttribute('data-groups')) === '2', 'expected box plots of 2 ranges');
        const samplers = await plot
          .locator('[data-range="0"] [data-sampler]')
          .evaluateAll((els) => els.map((e) => e.getAttribute('data-sampler')));
        assert(samplers.join(',') === 'Uniform,BestUp-3 (loss),WorstUp-3 (loss)', `boxes: ${samplers}`);
        await page.close();
      },
    ],
  ];
}
